import { strict as assert } from 'node:assert';
import { JSDOM } from 'jsdom';
import { bundleForBrowser } from './browserBundle';

interface Deferred {
  defer(element: Element, render: () => void): void;
  renderNow(element: Element): void;
  clear(): void;
}
interface Harness {
  createDeferredRenders(root: HTMLElement, marginPx?: number): Deferred;
}

function isHarness(value: unknown): value is Harness {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'createDeferredRenders') === 'function';
}

/** An IntersectionObserver whose intersections the test reports. */
class FakeObserver {
  static last: FakeObserver | undefined;
  readonly observed = new Set<Element>();
  readonly options: { root?: unknown; rootMargin?: string };
  constructor(
    private readonly callback: (entries: Array<{ target: Element; isIntersecting: boolean }>) => void,
    options?: { root?: unknown; rootMargin?: string },
  ) {
    this.options = options ?? {};
    FakeObserver.last = this;
  }
  observe(element: Element): void {
    this.observed.add(element);
  }
  unobserve(element: Element): void {
    this.observed.delete(element);
  }
  disconnect(): void {
    this.observed.clear();
  }
  report(element: Element, isIntersecting: boolean): void {
    this.callback([{ target: element, isIntersecting }]);
  }
}

describe('createDeferredRenders', function () {
  this.timeout(60000);
  let bundle = '';

  before(async () => {
    bundle = await bundleForBrowser("export { createDeferredRenders } from './deferredRender';", 'foxDeferred');
  });

  function load(withObserver: boolean): { harness: Harness; document: Document } {
    const dom = new JSDOM('<!DOCTYPE html><body><main id="root"></main></body>', { runScripts: 'outside-only' });
    if (withObserver) {
      Reflect.set(dom.window, 'IntersectionObserver', FakeObserver);
    }
    const loaded: unknown = dom.window.eval(`${bundle};foxDeferred`);
    assert.ok(isHarness(loaded));
    return { harness: loaded, document: dom.window.document };
  }

  it('renders an element once, when it comes within the margin of the viewport', () => {
    const { harness, document } = load(true);
    const root = document.getElementById('root') as HTMLElement;
    const deferred = harness.createDeferredRenders(root, 500);
    const observer = FakeObserver.last as FakeObserver;
    assert.equal(observer.options.root, root);
    assert.equal(observer.options.rootMargin, '500px 0px');
    const element = document.createElement('article');
    root.append(element);
    let renders = 0;
    deferred.defer(element, () => (renders += 1));
    assert.equal(renders, 0, 'nothing is rendered up front');
    observer.report(element, false);
    assert.equal(renders, 0);
    observer.report(element, true);
    observer.report(element, true);
    assert.equal(renders, 1, 'rendered once');
    assert.equal(observer.observed.has(element), false, 'no longer observed');
  });

  it('renders on demand, forgets everything on clear, and renders at once without IntersectionObserver', () => {
    const { harness, document } = load(true);
    const root = document.getElementById('root') as HTMLElement;
    const deferred = harness.createDeferredRenders(root);
    const observer = FakeObserver.last as FakeObserver;
    const [first, second] = [document.createElement('article'), document.createElement('article')];
    const rendered: string[] = [];
    deferred.defer(first, () => rendered.push('first'));
    deferred.defer(second, () => rendered.push('second'));
    deferred.renderNow(first);
    deferred.renderNow(first);
    assert.deepEqual(rendered, ['first']);
    deferred.clear();
    observer.report(second, true);
    assert.deepEqual(rendered, ['first'], 'a cleared render never runs');

    const plain = load(false);
    const now = plain.harness.createDeferredRenders(plain.document.getElementById('root') as HTMLElement);
    let ran = false;
    now.defer(plain.document.createElement('article'), () => (ran = true));
    assert.equal(ran, true);
  });
});
