// Registered with --import by lazy-load.test.ts: prints every package a module of ours imports, and every
// module of ours loaded (resolve hook), so the test can see what `hstlc --version` and `hstlc <cmd> --help` load.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  const m = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url);
  if (m && !(context.parentURL ?? '').includes('/node_modules/')) process.stderr.write('PACKAGE ' + m[1] + '\\n');
  const own = /\\/src\\/(.+)\\.[jt]s$/.exec(r.url);
  if (own && r.url.startsWith('file:') && !r.url.includes('/node_modules/')) process.stderr.write('MODULE ' + own[1] + '\\n');
  return r;
}`));
