/**
 * Static checks of deploy/ that need no Docker daemon or cluster: the files parse, name only files that
 * exist in the repository, and keep the properties deploy/README.md promises.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfigFile } from '../../../src/adapters/config-file/load.js';
import { checkInstances, type InstanceFile } from '../../../src/config/instances-check.js';
import { ROOT } from '../config/helpers.js';

const DEPLOY = join(ROOT, 'deploy');
const read = (path: string): string => readFileSync(path, 'utf8');
const yamlOf = (path: string): Record<string, unknown> => parse(read(path)) as Record<string, unknown>;

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function dockerInstructions(text: string): Instruction[] {
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const [keyword = '', ...rest] = l.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** Sources of a COPY, or undefined for a COPY --from (another stage). */
function copySources(args: string): string[] | undefined {
  const words = args.split(/\s+/).filter((w) => w.length > 0);
  if (words.some((w) => w.startsWith('--from='))) return undefined;
  const paths = words.filter((w) => !w.startsWith('--'));
  if (args.trim().startsWith('[')) {
    const list = JSON.parse(args.slice(args.indexOf('['))) as string[];
    return list.slice(0, -1);
  }
  return paths.slice(0, -1);
}

describe('deploy/Dockerfile', () => {
  const instructions = dockerInstructions(read(join(DEPLOY, 'Dockerfile')));
  const stages = instructions.reduce<Instruction[][]>((acc, i) => {
    if (i.keyword === 'FROM') acc.push([]);
    acc.at(-1)?.push(i);
    return acc;
  }, []);
  const final = stages.at(-1) ?? [];

  it('COPYs only paths that exist in the build context (the repository root)', () => {
    const copies = instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      expect(copy.keyword, 'ADD fetches and unpacks; COPY is what is meant').toBe('COPY');
      for (const source of copySources(copy.args) ?? []) {
        expect(existsSync(join(ROOT, source)), `COPY ${source}`).toBe(true);
      }
    }
  });

  it('ignores nothing the COPYs need', () => {
    const ignored = read(join(DEPLOY, 'Dockerfile.dockerignore'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !l.startsWith('#'));
    for (const copy of instructions.filter((i) => i.keyword === 'COPY')) {
      for (const source of copySources(copy.args) ?? []) {
        const top = source.split('/')[0] ?? '';
        expect(ignored, `COPY ${source}`).not.toContain(top);
      }
    }
  });

  it('builds on Node 24 from a base image that a build argument can point at a mirror', () => {
    const arg = instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(arg?.args).toMatch(/^NODE_IMAGE=node:24[-.\w]*$/);
    for (const from of instructions.filter((i) => i.keyword === 'FROM')) {
      expect(from.args).toMatch(/^\$\{NODE_IMAGE\}|^base\b/);
    }
    for (const name of ['NPM_REGISTRY', 'DEBIAN_MIRROR']) {
      expect(instructions.some((i) => i.keyword === 'ARG' && i.args.startsWith(`${name}=`))).toBe(true);
    }
  });

  it('runs dist/ with production dependencies only, as a non-root user, data in a volume', () => {
    const copies = final.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist ./dist');
    for (const c of copies) expect(c).not.toMatch(/\bsrc\b|--from=build \/app\/node_modules/);
    const user = final.filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.find((i) => i.keyword === 'VOLUME')?.args).toContain('/var/lib/quietwatt');
    expect(final.find((i) => i.keyword === 'ENTRYPOINT')?.args).toContain('/app/dist/src/cli/bin.js');
  });

  it('checks health with node against /readyz, since a slim image has no curl', () => {
    const check = final.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(check).toMatch(/CMD \["node", "-e"/);
    const env = final.find((i) => i.keyword === 'ENV' && i.args.includes('QUIETWATT_READYZ_URL'))?.args;
    expect(env).toMatch(/QUIETWATT_READYZ_URL=http:\/\/127\.0\.0\.1:8080\/readyz/);
  });
});

describe('deploy/compose.yaml', () => {
  const compose = yamlOf(join(DEPLOY, 'compose.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };

  it('runs Mosquitto, InfluxDB 2, Grafana and QuietWatt', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'influxdb', 'mosquitto', 'quietwatt']);
    expect(String(compose.services.influxdb?.image)).toMatch(/influxdb:2/);
  });

  it('names only files that exist, and only volumes it declares', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const build = service.build as { context: string; dockerfile: string } | undefined;
      if (build) {
        const context = resolve(DEPLOY, build.context);
        expect(existsSync(join(context, build.dockerfile)), `${name}: ${build.dockerfile}`).toBe(true);
      }
      for (const volume of (service.volumes as string[] | undefined) ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(existsSync(resolve(DEPLOY, source)), `${name}: ${source}`).toBe(true);
        } else {
          expect(Object.keys(compose.volumes), `${name}: volume ${source}`).toContain(source);
        }
      }
    }
  });

  /** The repository path a service sees at a container path, through its bind mounts (longest wins). */
  const hostPathOf = (service: string, containerPath: string): string | undefined => {
    const mounts = ((compose.services[service]?.volumes as string[] | undefined) ?? [])
      .map((v) => v.split(':'))
      .filter(([source]) => source?.startsWith('.') || source?.startsWith('/'))
      .map(([source = '', target = '']) => ({ source, target: target.replace(/\/$/, '') }))
      .filter((m) => containerPath === m.target || containerPath.startsWith(`${m.target}/`))
      .sort((a, b) => b.target.length - a.target.length);
    const mount = mounts[0];
    return mount && join(resolve(DEPLOY, mount.source), containerPath.slice(mount.target.length));
  };

  it("mounts what Grafana's provisioning names: the provisioning folder and every dashboard provider's path", () => {
    const provisioning = hostPathOf('grafana', '/etc/grafana/provisioning');
    expect(provisioning, 'grafana: /etc/grafana/provisioning').toBe(join(DEPLOY, 'grafana/provisioning'));
    const providerFiles = readdirSync(join(DEPLOY, 'grafana/provisioning/dashboards'));
    expect(providerFiles.length).toBeGreaterThan(0);
    const served: string[] = [];
    for (const file of providerFiles) {
      const { providers } = yamlOf(join(DEPLOY, 'grafana/provisioning/dashboards', file)) as {
        providers: { type: string; options: { path: string } }[];
      };
      for (const provider of providers.filter((p) => p.type === 'file')) {
        const folder = hostPathOf('grafana', provider.options.path);
        expect(
          folder,
          `${file}: ${provider.options.path} is not mounted in the grafana service`,
        ).toBeDefined();
        if (!folder) continue;
        expect(existsSync(folder), `${file}: ${folder}`).toBe(true);
        served.push(...readdirSync(folder).filter((f) => f.endsWith('.json')));
      }
    }
    // Every dashboard in the repository reaches Grafana.
    expect(served.sort()).toEqual(
      readdirSync(join(DEPLOY, 'grafana/dashboards'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    );
  });

  it("points Grafana's data source and QuietWatt's sink at the stack's InfluxDB, org, bucket and token", () => {
    const env = (service: string) => (compose.services[service]?.environment ?? {}) as Record<string, string>;
    const influx = env('influxdb');
    const { datasources } = yamlOf(
      join(DEPLOY, 'grafana/provisioning/datasources/quietwatt-influxdb.yaml'),
    ) as {
      datasources: {
        url: string;
        jsonData: { organization: string; defaultBucket: string };
        secureJsonData: { token: string };
      }[];
    };
    const [source] = datasources;
    expect(new URL(source?.url ?? '').hostname).toBe('influxdb');
    expect(source?.jsonData).toMatchObject({
      organization: influx.DOCKER_INFLUXDB_INIT_ORG,
      defaultBucket: influx.DOCKER_INFLUXDB_INIT_BUCKET,
    });
    const tokenVar = /^\$\{(\w+)\}$/.exec(source?.secureJsonData.token ?? '')?.[1] ?? '';
    expect(env('grafana')[tokenVar], `grafana: ${tokenVar}`).toBe(influx.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN);

    const loaded = loadConfigFile(join(DEPLOY, 'config/quietwatt.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const sink = loaded.config.influx;
    expect(sink, 'deploy/config/quietwatt.yaml: influx').toBeDefined();
    expect(new URL(sink?.url ?? '').hostname).toBe('influxdb');
    expect(sink).toMatchObject({
      org: influx.DOCKER_INFLUXDB_INIT_ORG,
      bucket: influx.DOCKER_INFLUXDB_INIT_BUCKET,
    });
    expect(env('quietwatt')[sink?.tokenEnv ?? '']).toBe(influx.DOCKER_INFLUXDB_INIT_ADMIN_TOKEN);
  });

  it("gives Mosquitto a config that listens beyond the container's loopback", () => {
    const conf = read(join(DEPLOY, 'mosquitto/mosquitto.conf'));
    expect(conf).toMatch(/^listener 1883 0\.0\.0\.0$/m);
  });

  it('runs QuietWatt on a config that is valid and binds HTTP to every interface', () => {
    const loaded = loadConfigFile(join(DEPLOY, 'config/quietwatt.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    expect(loaded.config.http.host).toBe('0.0.0.0');
    expect(loaded.config.mqtt.url).toBe('mqtt://mosquitto:1883');
    expect(loaded.config.storage.dir).toBe('/var/lib/quietwatt');
  });

  it("keeps the demo community of config/default.yaml (the stack's config differs only in where things run)", () => {
    const demo = yamlOf(join(ROOT, 'config/default.yaml'));
    const stack = yamlOf(join(DEPLOY, 'config/quietwatt.yaml'));
    for (const key of Object.keys(demo).filter((k) => !['mqtt', 'storage', 'http'].includes(k))) {
      expect(stack[key], `${key}: update deploy/config/quietwatt.yaml`).toEqual(demo[key]);
    }
  });
});

describe('deploy/k8s', () => {
  const k8s = join(DEPLOY, 'k8s');
  const kustomization = yamlOf(join(k8s, 'kustomization.yaml')) as {
    resources: string[];
    configMapGenerator: { name: string; files: string[] }[];
  };
  const manifests = kustomization.resources.flatMap((r) =>
    parseAllDocuments(read(join(k8s, r))).map((d) => d.toJS() as Record<string, unknown>),
  );

  it('names only files that exist, and every manifest parses', () => {
    for (const file of [
      ...kustomization.resources,
      ...kustomization.configMapGenerator.flatMap((g) => g.files),
    ])
      expect(existsSync(join(k8s, file)), file).toBe(true);
    for (const r of kustomization.resources) {
      for (const doc of parseAllDocuments(read(join(k8s, r)))) expect(doc.errors, r).toEqual([]);
    }
  });

  it('runs one pod per shard, each with its own valid config and persistent volume, probed on /livez and /readyz', () => {
    const set = manifests.find((m) => m.kind === 'StatefulSet') as {
      spec: {
        replicas: number;
        template: { spec: { containers: Record<string, unknown>[] } };
        volumeClaimTemplates: unknown[];
      };
    };
    const files = kustomization.configMapGenerator.flatMap((g) => g.files).map((f) => basename(f));
    expect(files.sort()).toEqual(Array.from({ length: set.spec.replicas }, (_, i) => `quietwatt-${i}.yaml`));
    const shards: InstanceFile[] = [];
    for (const file of kustomization.configMapGenerator.flatMap((g) => g.files)) {
      const loaded = loadConfigFile(join(k8s, file));
      if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
      expect(loaded.config.http.host).toBe('0.0.0.0');
      shards.push({ file, config: loaded.config });
    }
    // Side by side on one broker: own client ids and status topics, every site in one shard.
    expect(checkInstances(shards).map((e) => e.message)).toEqual([]);
    const container = set.spec.template.spec.containers[0] as {
      args: string[];
      livenessProbe: { httpGet: { path: string } };
      readinessProbe: { httpGet: { path: string } };
    };
    expect(container.args.join(' ')).toContain('/etc/quietwatt/$(POD_NAME).yaml');
    expect(container.livenessProbe.httpGet.path).toBe('/livez');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(set.spec.volumeClaimTemplates.length).toBe(1);
  });
});

describe('deploy/systemd', () => {
  it('runs the built entry point as its own user with a state directory', () => {
    const unit = read(join(DEPLOY, 'systemd/quietwatt.service'));
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/quietwatt\/dist\/src\/cli\/bin\.js run /m);
    expect(unit).toMatch(/^User=quietwatt$/m);
    expect(unit).toMatch(/^StateDirectory=quietwatt$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(read(join(DEPLOY, 'systemd/quietwatt.sysusers.conf'))).toMatch(/^u quietwatt /m);
  });
});
