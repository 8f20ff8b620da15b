import type { Step } from './plan.js';

/** What to do about a failed step, read from what the tool said. */
export function hintFor(step: Step, stderr: string, outcome: { timedOut: boolean; missing: boolean; bin: string }): string {
  if (outcome.missing) {
    return outcome.bin === 'helm'
      ? 'helm is not on PATH: install helm 3.8 or later (https://helm.sh/docs/intro/install/)'
      : 'kubectl is not on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/)';
  }
  if (outcome.timedOut) {
    return step.id === 'install'
      ? 'helm did not finish in time: the add-account Job or a pod may be stuck (kubectl get pods); raise --timeout if the cluster is slow'
      : `${outcome.bin} did not answer within ${step.timeoutSeconds}s: check the network path to the cluster or the chart repository`;
  }
  // `kubectl auth can-i` answers "no" with exit 1: the right is missing.
  if (step.id.startsWith('can-i')) {
    return 'your account may not do this here: ask for rights to create secrets/configmaps in the namespace, or use another --namespace';
  }
  const text = stderr.toLowerCase();
  // `kubectl config get-contexts NAME` says "context NAME not found".
  if (/current-context is not set|no context exists|context .* does not exist|context was not found|^error: context \S+ not found/m.test(text)) {
    return 'no usable kube context: list them with `kubectl config get-contexts` and pass --kube-context NAME';
  }
  if (/forbidden|cannot create resource|user .* cannot/.test(text)) {
    return 'your account may not do this here: ask for rights to create secrets/configmaps in the namespace, or use another --namespace';
  }
  if (/connection refused|no such host|i\/o timeout|unable to connect|cluster unreachable|tls handshake timeout|could not resolve|error: eof|connection reset/.test(text)) {
    return step.id.startsWith('repo')
      ? 'the chart repository does not answer: check --repo-url and the network'
      : 'the cluster does not answer: check the kube context, VPN or API server address';
  }
  if (/repository name .* already exists/.test(text)) {
    return `a repository with this name points at another URL: pass --repo-name with another name, or fix it with \`helm repo remove\``;
  }
  // kubectl apply updates an existing object: AlreadyExists means one was created between its read and its create.
  if (outcome.bin === 'kubectl' && /alreadyexists|already exists/.test(text)) {
    return 'another run created it at the same moment: run the same command again (kubectl apply updates an object that exists)';
  }
  if (/exists and cannot be imported into the current release|already exists/.test(text)) {
    return 'an object of that name already exists outside this release: delete it, or give it to the release with the meta.helm.sh/release-name and release-namespace annotations, then run again';
  }
  if (/namespaces? ".*" not found/.test(text)) return 'the namespace does not exist: create it or add --create-namespace';
  if (/notfound|not found/.test(text) && (step.id === 'ca-exists' || step.id === 'client-cert-exists')) {
    return step.id === 'ca-exists'
      ? 'the CA object is not in the cluster, so the backend pods would never start: pass --orchestrator-ca-cert FILE to create it'
      : 'the client certificate Secret is not in the cluster: pass --client-cert FILE --client-key FILE to create it';
  }
  if (/chart .* not found|no chart version found|no chart name found/.test(text)) {
    return 'that chart version is not in the repository: run `helm search repo substra/substra-backend --versions`';
  }
  if (/no such file|not found/.test(text) && step.command.args.some((a) => a.includes('--from-file') || a.startsWith('--cert') || a.startsWith('--key'))) {
    return 'a certificate file is missing: check the paths given to --orchestrator-ca-cert, --client-cert and --client-key';
  }
  return 'fix what the output above says, then run the same command again: every step is safe to repeat';
}
