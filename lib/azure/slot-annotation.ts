/** The KES pod annotation the Azure/Pulumi layer owns. */
import { ownAnnotation } from '../declaration/checks';

/**
 * KES pod annotation naming the active Azure client-secret slot (`activeClientSecret`), set by the Pulumi
 * components in client-secret mode so that switching slots changes the pod template and rolls KES. Users do not set
 * it: the components overwrite any declared value; a declaration carrying it (a component's
 * `effectiveDeclaration`) is accepted by `resolveDeclaration`.
 */
export const ACTIVE_CLIENT_SECRET_ANNOTATION = ownAnnotation('minio-sse-azure.io/azure-client-secret-slot');
