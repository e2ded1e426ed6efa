export * from './minio-sse-stack';
