// The reduced kustomize used where no kubectl with kustomize v5 is installed: it renders the
// overlays exactly as kubectl does (objects, generated names and hashes, references), and refuses
// kustomization fields it does not implement instead of ignoring them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { miniKustomize } from './support/mini-kustomize';
import { KUBECTL_KUSTOMIZE, OVERLAYS, renderWithKubectl, repoPath, type K8sObject } from './support/repo';

const byKey = (objects: K8sObject[]): Record<string, K8sObject> =>
  Object.fromEntries(objects.map((object) => [`${object.kind}/${object.metadata.name}`, object]));

describe(miniKustomize.name, () => {
  it.each(OVERLAYS)(
    'renders overlay %s exactly as kubectl kustomize does (compared when kubectl is installed)',
    (overlay) => {
      const sut = byKey(miniKustomize(repoPath('deploy/k8s/overlays', overlay)));
      expect(Object.keys(sut).length).toBeGreaterThan(20);
      if (KUBECTL_KUSTOMIZE) expect(sut).toEqual(byKey(renderWithKubectl(overlay)));
    },
  );

  it('refuses a kustomization field it does not implement', () => {
    const directory = mkdtempSync(join(tmpdir(), 'mini-kustomize-'));
    try {
      writeFileSync(join(directory, 'kustomization.yaml'), 'namePrefix: staging-\nresources: []\n');
      expect(() => miniKustomize(directory)).toThrow(/unsupported fields namePrefix/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses a merge into a ConfigMap nobody generated', () => {
    const directory = mkdtempSync(join(tmpdir(), 'mini-kustomize-'));
    try {
      writeFileSync(
        join(directory, 'kustomization.yaml'),
        'configMapGenerator:\n  - name: missing\n    behavior: merge\n    literals: [A=1]\n',
      );
      expect(() => miniKustomize(directory)).toThrow(/merge into unknown ConfigMap missing/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
