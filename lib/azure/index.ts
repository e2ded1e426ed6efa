export * from './args';
export * from './kes-azure-identity';
export * from './validate';
export * from './stack-auth';
export * from './slot-annotation';
