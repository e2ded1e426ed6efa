export * from './declaration';
export * from './kes';
export * from './k8s';
export { ACTIVE_CLIENT_SECRET_ANNOTATION } from './azure/slot-annotation';
