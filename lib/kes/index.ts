export * from './model';
export * from './render';
export * from './policy';
export * from './check';
