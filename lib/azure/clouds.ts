/** The Azure cloud: the Key Vault endpoint's, checked against the vault name and the providers' environments. */
import * as pulumi from '@pulumi/pulumi';
import { AZURE_CLOUDS, AzureCloud, azureCloudOfEndpoint } from '../declaration/azure-auth';
import { checkKeyVaultEndpoint, keyVaultNameOf } from '../declaration/rules';
import { Problem } from '../declaration/validate';
import { ProviderEnvironments } from './args';
import { isObject, quoted, show, showWord, checkKeys } from './checks';

export const PROVIDER_ENVIRONMENT_KEYS = ['azuread', 'azureNative'];

/**
 * The provider environments in effect for the default providers, read as their SDKs do: `azuread:environment`, then
 * `ARM_ENVIRONMENT`, else `public` (@pulumi/azuread 6.9.1 `config/vars.js`); `azure-native:environment`, else
 * `public` (@pulumi/azure-native 3.28.0 `config/vars.js`, `provider.js`).
 */
export function configuredProviderEnvironments(): Required<ProviderEnvironments> {
  return {
    azuread: new pulumi.Config('azuread').get('environment') ?? (process.env.ARM_ENVIRONMENT || 'public'),
    azureNative: new pulumi.Config('azure-native').get('environment') ?? 'public',
  };
}

/** The cloud an `azuread` or `azure-native` provider environment names, or `undefined` for an unknown value. */
export function cloudOfProviderEnvironment(
  provider: 'azuread' | 'azureNative',
  environment: string,
): AzureCloud | undefined {
  const e = environment.toLowerCase();
  return Object.values(AZURE_CLOUDS).find((f) =>
    provider === 'azuread' ? f.azureadEnvironments.includes(e) : f.azureNativeEnvironment === e,
  )?.cloud;
}

/**
 * The cloud of the Key Vault endpoint, checked against the vault name and both providers' environments.
 * @returns the cloud, or `undefined` after recording problems
 */
export function resolveCloud(
  problems: Problem[],
  a: Record<string, unknown>,
  vaultName: string | undefined,
): AzureCloud | undefined {
  let cloud = AzureCloud.PUBLIC;
  let shownEndpoint = 'the default Key Vault endpoint (public cloud)';
  const before = problems.length;
  if (a.keyVaultEndpoint !== undefined) {
    const endpoint = a.keyVaultEndpoint;
    const reason = typeof endpoint === 'string' ? checkKeyVaultEndpoint(endpoint) : 'must be a string';
    if (reason) {
      problems.push({
        path: 'keyVaultEndpoint',
        message: `${typeof endpoint === 'string' ? quoted(endpoint) : show(endpoint)} ${reason}`,
      });
      return undefined;
    }
    cloud = azureCloudOfEndpoint(endpoint as string) ?? AzureCloud.PUBLIC;
    shownEndpoint = `the Key Vault endpoint ${JSON.stringify(endpoint)}`;
    const named = keyVaultNameOf(endpoint as string);
    if (vaultName !== undefined && named.toLowerCase() !== vaultName.toLowerCase()) {
      problems.push({
        path: 'keyVaultEndpoint',
        message: `${JSON.stringify(endpoint)} names vault "${named}" but the vault granted is "${vaultName}"`,
      });
    }
  }
  const facts = AZURE_CLOUDS[cloud];
  let envs: ProviderEnvironments = {};
  if (a.providerEnvironments !== undefined) {
    if (!isObject(a.providerEnvironments)) {
      problems.push({
        path: 'providerEnvironments',
        message: `${show(a.providerEnvironments)} must be an object { azuread?, azureNative? }`,
      });
      return undefined;
    }
    checkKeys(problems, a.providerEnvironments, PROVIDER_ENVIRONMENT_KEYS, 'providerEnvironments');
    envs = a.providerEnvironments as ProviderEnvironments;
  }
  const configured = configuredProviderEnvironments();
  const checks: { provider: 'azuread' | 'azureNative'; key: string; want: string }[] = [
    { provider: 'azuread', key: 'azuread:environment', want: facts.azureadEnvironments[0] },
    { provider: 'azureNative', key: 'azure-native:environment', want: facts.azureNativeEnvironment },
  ];
  for (const { provider, key, want } of checks) {
    const explicit = envs[provider];
    const value = explicit ?? configured[provider];
    const path = explicit !== undefined ? `providerEnvironments.${provider}` : key;
    if (typeof value !== 'string') {
      problems.push({ path, message: `${show(value)} must be a string (a provider environment)` });
      continue;
    }
    const got = cloudOfProviderEnvironment(provider, value);
    const fix =
      explicit !== undefined
        ? `set environment: "${want}" on your ${provider === 'azuread' ? 'azuread' : 'azure-native'} provider and providerEnvironments.${provider} to match`
        : `run \`pulumi config set ${key} ${want}\``;
    if (got === undefined) {
      problems.push({
        path,
        message: `${showWord(value)} is not an environment the ${provider === 'azuread' ? 'azuread' : 'azure-native'} provider knows; ${shownEndpoint} is in ${facts.displayName}: ${fix}`,
      });
    } else if (got !== cloud) {
      problems.push({
        path,
        message: `the ${provider === 'azuread' ? 'azuread' : 'azure-native'} provider targets ${AZURE_CLOUDS[got].displayName} (environment ${JSON.stringify(value)}) but ${shownEndpoint} is in ${facts.displayName}: ${fix}`,
      });
    }
  }
  return problems.length > before ? undefined : cloud;
}
