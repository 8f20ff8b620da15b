import { hostPlace } from './hosts.js';

/**
 * What each substra-backend chart version changed in the values an operator sets, from 13.0.0
 * to the newest, each checked against the templates that read the key before and after (see
 * ../shared/docs/substra-facts.md). Applied in version order by migrate.ts.
 */
export type Migration =
  /** the value moves as it is; when the new path is already set the old one is dropped */
  | { version: string; kind: 'rename'; from: string[]; to: string[]; why: string }
  /** the value is copied, the old path stays read (both keys live on) */
  | { version: string; kind: 'copy'; from: string[]; to: string[]; why: string; when?: (values: unknown) => boolean }
  /** the chart no longer reads it: dropped */
  | { version: string; kind: 'remove'; from: string[]; why: string }
  /** a list of names becomes a list of {name} maps */
  | { version: string; kind: 'names-to-maps'; from: string[]; why: string }
  /** a default the chart changed: the old one is written where the file relied on it */
  | { version: string; kind: 'pin-default'; from: string[]; value: unknown; why: string; when?: (values: unknown) => boolean }
  /** the value means something else now and needs the operator's decision: reported */
  | { version: string; kind: 'leftover'; from: string[]; why: string };

export interface RunbookStep {
  version: string;
  /** when the step applies, in words */
  when: string;
  title: string;
  /** with RELEASE, NAMESPACE, FULLNAME (RELEASE-substra-backend), CACERT, DB_USER, DB_NAME to fill in */
  commands: string[];
  why: string;
}

const get = (values: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), values);

const EVENTS = 'the events Deployment became api-events and worker-events, which read the same keys under api.events and worker.events';

export const MIGRATIONS: Migration[] = [
  { version: '13.0.6', kind: 'copy', from: ['server', 'persistence', 'storageClass'], to: ['server', 'persistence', 'servermedias', 'storageClass'], why: 'the servermedias volume takes its storage class from server.persistence.servermedias.storageClass' },
  ...['algos', 'datamanagers', 'metrics'].map((name): Migration => ({ version: '14.0.0', kind: 'remove', from: ['server', 'persistence', name], why: 'assets live in MinIO: this volume is no longer made' })),
  { version: '15.0.0', kind: 'rename', from: ['minio', 'accessKey', 'password'], to: ['minio', 'auth', 'rootUser'], why: 'the object store credentials moved under minio.auth' },
  { version: '15.0.0', kind: 'rename', from: ['minio', 'secretKey', 'password'], to: ['minio', 'auth', 'rootPassword'], why: 'the object store credentials moved under minio.auth' },
  { version: '15.0.0', kind: 'rename', from: ['minio', 'forceNewKeys'], to: ['minio', 'auth', 'forceNewKeys'], why: 'the object store credentials moved under minio.auth' },
  { version: '16.0.0', kind: 'rename', from: ['worker', 'rbac', 'enable'], to: ['worker', 'rbac', 'create'], why: 'the worker RBAC switch is spelled create' },
  {
    version: '18.0.0', kind: 'copy', from: ['postgresql', 'postgresqlPassword'], to: ['postgresql', 'auth', 'postgresPassword'],
    why: 'PostgreSQL chart 11: the "postgres" user needs its own password key',
    when: (v) => [undefined, 'postgres'].includes(get(v, ['postgresql', 'postgresqlUsername']) as string | undefined),
  },
  { version: '18.0.0', kind: 'rename', from: ['postgresql', 'postgresqlUsername'], to: ['postgresql', 'auth', 'username'], why: 'PostgreSQL chart 11 reads its credentials under postgresql.auth' },
  { version: '18.0.0', kind: 'rename', from: ['postgresql', 'postgresqlPassword'], to: ['postgresql', 'auth', 'password'], why: 'PostgreSQL chart 11 reads its credentials under postgresql.auth' },
  { version: '18.0.0', kind: 'rename', from: ['postgresql', 'postgresqlDatabase'], to: ['postgresql', 'auth', 'database'], why: 'PostgreSQL chart 11 reads its credentials under postgresql.auth' },
  { version: '18.0.0', kind: 'rename', from: ['postgresql', 'persistence'], to: ['postgresql', 'primary', 'persistence'], why: 'PostgreSQL chart 11 reads persistence under postgresql.primary' },
  { version: '18.0.0', kind: 'rename', from: ['rabbitmq', 'port'], to: ['rabbitmq', 'service', 'ports', 'amqp'], why: 'RabbitMQ chart 10 reads its port under service.ports' },
  { version: '18.1.0', kind: 'rename', from: ['addAccountOperator', 'incomingNodes'], to: ['addAccountOperator', 'incomingOrganizations'], why: 'organizations, not nodes' },
  { version: '18.1.0', kind: 'rename', from: ['addAccountOperator', 'outgoingNodes'], to: ['addAccountOperator', 'outgoingOrganizations'], why: 'organizations, not nodes' },
  { version: '18.2.0', kind: 'remove', from: ['addAccountOperator', 'resources'], why: 'the account operator became a Job of the migrations; it has no resources of its own' },
  ...['server', 'worker', 'scheduler', 'schedulerWorker', 'events'].map((component): Migration => ({
    version: '19.0.0', kind: 'names-to-maps', from: [component, 'image', 'pullSecrets'], why: 'image pull secrets are {name: …} maps',
  })),
  {
    version: '21.0.0', kind: 'pin-default', from: ['postgresql', 'primary', 'persistence', 'enabled'], value: false,
    why: "the chart dropped its 'persistence off' default; turning it on in place is refused by Kubernetes (see the runbook)",
    when: (v) => get(v, ['postgresql']) !== undefined && get(v, ['postgresql', 'enabled']) !== false,
  },
  { version: '21.1.0', kind: 'remove', from: ['orchestrator', 'rabbitmq'], why: 'events come over the orchestrator gRPC stream' },
  { version: '22.0.0', kind: 'rename', from: ['rabbitmq', 'enabled'], to: ['redis', 'enabled'], why: 'the Celery broker is Redis' },
  { version: '22.0.0', kind: 'rename', from: ['rabbitmq', 'host'], to: ['redis', 'host'], why: 'the Celery broker is Redis (an external broker must now be a Redis host)' },
  { version: '22.0.0', kind: 'rename', from: ['rabbitmq', 'auth', 'password'], to: ['redis', 'auth', 'password'], why: 'the Celery broker is Redis' },
  { version: '22.0.0', kind: 'remove', from: ['rabbitmq'], why: 'the Celery broker is Redis: the rest of the RabbitMQ settings (user, port 5672, persistence) do not carry over' },
  { version: '22.1.0', kind: 'copy', from: ['events'], to: ['api', 'events'], why: EVENTS },
  { version: '22.1.0', kind: 'rename', from: ['events'], to: ['worker', 'events'], why: EVENTS },
  { version: '22.1.3', kind: 'rename', from: ['server', 'ingressClassName'], to: ['server', 'ingress', 'ingressClassName'], why: 'the ingress class is read where it was always checked' },
  { version: '22.5.0', kind: 'copy', from: ['postgresql', 'auth', 'username'], to: ['database', 'auth', 'username'], why: 'the backend reads its database credentials under database.auth; the bundled PostgreSQL still reads postgresql.auth' },
  { version: '22.5.0', kind: 'copy', from: ['postgresql', 'auth', 'password'], to: ['database', 'auth', 'password'], why: 'the backend reads its database credentials under database.auth; the bundled PostgreSQL still reads postgresql.auth' },
  { version: '22.5.0', kind: 'copy', from: ['postgresql', 'auth', 'database'], to: ['database', 'auth', 'database'], why: 'the backend reads its database credentials under database.auth; the bundled PostgreSQL still reads postgresql.auth' },
  { version: '24.2.0', kind: 'remove', from: ['psp'], why: 'PodSecurityPolicies are gone from Kubernetes and from the chart' },
  { version: '24.2.0', kind: 'remove', from: ['privateCa', 'image', 'apkAdd'], why: 'the private CA image no longer installs packages' },
  { version: '24.2.0', kind: 'leftover', from: ['privateCa', 'image', 'repository'], why: 'it is now prefixed by privateCa.image.registry (default ghcr.io) and needs privateCa.image.tag: check both' },
  {
    version: '25.0.0', kind: 'copy', from: ['worker', 'rbac', 'create'], to: ['worker', 'serviceAccount', 'create'],
    why: 'the worker ServiceAccount is made under worker.serviceAccount.create: with RBAC off, it must not be made either',
    when: (v) => get(v, ['worker', 'rbac', 'create']) === false,
  },
  ...(['worker', 'api'] as const).map((side): Migration => ({
    version: '25.0.0', kind: 'pin-default', from: [side, 'events', 'serviceAccount', 'name'], value: 'default',
    why: 'a service account that is not created needs a name: the chart used to fall back to "default" and now fails',
    when: (v) => get(v, [side, 'events', 'serviceAccount', 'create']) === false,
  })),
  {
    version: '25.1.1', kind: 'copy', from: ['builder', 'rbac', 'create'], to: ['builder', 'serviceAccount', 'create'],
    why: 'the builder ServiceAccount is made under builder.serviceAccount.create: with RBAC off, it must not be made either',
    when: (v) => get(v, ['builder', 'rbac', 'create']) === false,
  },
  { version: '26.0.0', kind: 'rename', from: ['privateCa', 'configMap'], to: ['privateCa', 'secret'], why: 'the private CA is mounted from a Secret' },
  {
    version: '26.6.2', kind: 'pin-default', from: ['orchestrator', 'sameCluster'], value: true,
    why: "orchestrator.sameCluster now picks the backend's egress policy, and its default false allows only public addresses: an in-cluster orchestrator would be cut off",
    when: (v) => {
      const host = get(v, ['orchestrator', 'host']);
      return typeof host === 'string' && ['in-cluster', 'likely-in-cluster', 'private-address'].includes(hostPlace(host));
    },
  },
  { version: '26.8.1', kind: 'leftover', from: ['redis', 'host'], why: 'an external Redis now needs its password in a Secret named by redis.auth.existingSecret (see the runbook)' },
];

export const RUNBOOK: RunbookStep[] = [
  {
    version: '18.0.0', when: 'the bundled PostgreSQL is used', title: 'PostgreSQL 11 → 14: dump, recreate, restore',
    commands: [
      'kubectl -n NAMESPACE scale deployment FULLNAME-server FULLNAME-scheduler FULLNAME-scheduler-worker FULLNAME-events --replicas=0',
      'kubectl -n NAMESPACE scale statefulset FULLNAME-worker --replicas=0',
      'kubectl -n NAMESPACE exec RELEASE-postgresql-0 -- env PGPASSWORD=… pg_dump -h 127.0.0.1 -U DB_USER -d DB_NAME --clean --create > backend-before-18.sql',
      'kubectl -n NAMESPACE delete statefulset RELEASE-postgresql && kubectl -n NAMESPACE delete pvc data-RELEASE-postgresql-0',
      'helm upgrade RELEASE substra/substra-backend --version 18.0.0 -n NAMESPACE -f VALUES',
      'kubectl -n NAMESPACE exec -i RELEASE-postgresql-0 -- env PGPASSWORD=… psql -h 127.0.0.1 -U postgres < backend-before-18.sql',
    ],
    why: 'the PostgreSQL chart moves to PostgreSQL 14, which cannot open an 11 data directory',
  },
  {
    version: '22.0.0', when: 'the bundled RabbitMQ is used', title: 'Drain RabbitMQ before the broker becomes Redis',
    commands: [
      'kubectl -n NAMESPACE scale deployment FULLNAME-events --replicas=0',
      'kubectl -n NAMESPACE exec RELEASE-rabbitmq-0 -- rabbitmqctl list_queues name messages   # until every queue shows 0',
    ],
    why: 'queued tasks are not carried over to Redis, and helm removes RabbitMQ',
  },
  {
    version: '22.2.0', when: 'Redis persistence is not pinned off', title: 'Delete the Redis StatefulSet before upgrading',
    commands: ['kubectl -n NAMESPACE scale statefulset FULLNAME-worker --replicas=0', 'kubectl -n NAMESPACE delete statefulset RELEASE-redis-master'],
    why: 'Redis gains a persistent volume, which Kubernetes refuses to add to an existing StatefulSet; Redis only holds the task queue, so it is recreated empty',
  },
  {
    version: '23.0.0', when: 'the bundled PostgreSQL is used', title: 'PostgreSQL 14 → 16: dump, delete, upgrade to exactly 23.0.0, restore',
    commands: [
      'kubectl -n NAMESPACE scale deployment FULLNAME-server FULLNAME-scheduler FULLNAME-scheduler-worker FULLNAME-api-events FULLNAME-worker-events --replicas=0',
      'kubectl -n NAMESPACE scale statefulset FULLNAME-worker --replicas=0',
      'kubectl -n NAMESPACE exec RELEASE-postgresql-0 -- env PGPASSWORD=… pg_dump -h 127.0.0.1 -U DB_USER -d DB_NAME --clean --create > backend-pg14.sql',
      'kubectl -n NAMESPACE delete statefulset RELEASE-postgresql && kubectl -n NAMESPACE delete pvc data-RELEASE-postgresql-0',
      'helm upgrade RELEASE substra/substra-backend --version 23.0.0 -n NAMESPACE -f VALUES',
      'kubectl -n NAMESPACE exec -i RELEASE-postgresql-0 -- env PGPASSWORD=… psql -h 127.0.0.1 -U DB_USER -d postgres < backend-pg14.sql',
    ],
    why: 'PostgreSQL 16 cannot open a 14 data directory',
  },
  {
    version: '24.3.0', when: 'always', title: 'Let the worker StatefulSet drop its docker-cache volume',
    commands: ['kubectl -n NAMESPACE delete statefulset FULLNAME-worker --cascade=orphan', '# after the upgrade: kubectl -n NAMESPACE get pvc | grep docker-cache   (unused now; delete them)'],
    why: 'Kubernetes refuses to change the volume templates of an existing StatefulSet; orphaning keeps its pods running until the new one adopts them',
  },
  {
    version: '26.0.0', when: 'orchestrator.tls.enabled (and privateCa from a ConfigMap)', title: 'CA certificates: ConfigMap → Secret (substra-deploy deploy converts the orchestrator CA itself; the commands are for doing it by hand and for privateCa)',
    commands: [
      "kubectl -n NAMESPACE get configmap CACERT -o go-template='{{index .data \"ca.crt\"}}' > orchestrator-ca.crt",
      'kubectl -n NAMESPACE create secret generic CACERT --from-file=ca.crt=orchestrator-ca.crt',
    ],
    why: 'from 26.0.0 the CA is mounted from a Secret: with only the ConfigMap, the pods never start',
  },
  {
    version: '26.6.8', when: 'the bundled PostgreSQL is used', title: 'Rebuild indexes after the PostgreSQL image changed its OS',
    commands: ["kubectl -n NAMESPACE exec RELEASE-postgresql-0 -- env PGPASSWORD=… psql -h 127.0.0.1 -U DB_USER -d DB_NAME -c 'REINDEX DATABASE \"DB_NAME\";' -c 'ALTER DATABASE \"DB_NAME\" REFRESH COLLATION VERSION;'"],
    why: 'the new image has another collation version: indexes on text must be rebuilt',
  },
  {
    version: '26.10.2', when: 'always (never stop at 26.10.0 or 26.10.1)', title: 'The server now upgrades with the Recreate strategy: plan the API downtime',
    commands: ['helm upgrade RELEASE substra/substra-backend --version TARGET -n NAMESPACE -f VALUES', 'kubectl -n NAMESPACE rollout status deployment/FULLNAME-server'],
    why: 'the old server pod stops before the new one starts (one ReadWriteOnce volume), so every upgrade has an outage; 26.10.0 and 26.10.1 render the strategy wrongly',
  },
  {
    version: '26.12.0', when: 'always', title: 'Accounts absent from the values file are deleted at the upgrade',
    commands: [
      "kubectl -n NAMESPACE exec deploy/FULLNAME-server -c server -- ./manage.py shell -c \"from django.contrib.auth import get_user_model as g; print('\\n'.join(g().objects.values_list('username', flat=True)))\"",
      '# every user listed there and missing from addAccountOperator.users is deleted (users made in the web UI too, unless OIDC is on from chart 26.15.2); add the ones that must stay',
      'substra-deploy deploy --values VALUES   # stops and names every account the upgrade would delete (--allow-deletions to go on)',
    ],
    why: 'the account Job syncs: users, incoming and outgoing organizations missing from the file are removed',
  },
];
