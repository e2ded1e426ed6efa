export * from './bucket-encryption';
export * from './charts';
export * from './common';
export * from './crd-schema';
export * from './kes-config';
export * from './operator';
export * from './operator-crds';
export * from './tenant';
