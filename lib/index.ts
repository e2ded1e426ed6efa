export * from './declaration';
export * from './kes';
export * from './k8s';
