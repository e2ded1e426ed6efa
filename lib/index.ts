export * from './spec';
export * from './kes';
