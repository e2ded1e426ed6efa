export * from './spec';
export * from './kes';
export * from './k8s';
