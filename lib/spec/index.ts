export * from './azure-auth';
export * from './declaration';
export * from './image';
export * from './kes-image';
export * from './release';
export * from './rules';
export * from './validate';
export * from './platform';
