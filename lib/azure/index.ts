export * from './args';
export * from './kes-azure-identity';
export * from './validate';
