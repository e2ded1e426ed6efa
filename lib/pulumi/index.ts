export * from './minio-sse-stack';
export * from './operator';
export * from './tenant';
export * from './platform';
