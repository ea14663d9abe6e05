// Starts a throwaway embedded Neo4j 5.26 Community (Bolt on 127.0.0.1, auth disabled) for tests and CI.
//
//   import { startNeo4j } from './test/neo4j-server/launcher.mjs';
//   const neo = await startNeo4j();
//   if (neo.skipped) { t.skip(neo.reason); return; }
//   ... connect to neo.uri with neo4j-driver (neo4j.auth.none() or any credentials) ...
//   await neo.stop();
//
// CLI:
//   node test/neo4j-server/launcher.mjs build   # build the jar only (CI pre-build); exit 3 if java/mvn missing
//   node test/neo4j-server/launcher.mjs run     # start, print NEO4J_BOLT_URI=..., stop on Ctrl-C
//
// Environment:
//   JAVA_HOME                    java is taken from $JAVA_HOME/bin/java when present, else from PATH
//   ARIADNE_NEO4J_JAVA_OPTS      extra JVM options (space separated), appended after the defaults
//   ARIADNE_NEO4J_VERBOSE=1      forward the server's stderr to the log function
//   ARIADNE_NEO4J_DEBUG_LOG=1    let Neo4j write logs/debug.log into its directory (use with dataDir to keep it)

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TARGET = path.join(HERE, 'target');
const JAR = path.join(TARGET, 'neo4j-test-server.jar');
const LIB = path.join(TARGET, 'lib');
const STAMP = path.join(TARGET, '.build-ok');
const LOCK = path.join(TARGET, '.build-lock');

const BUILD_TIMEOUT_MS = 15 * 60 * 1000;
const START_TIMEOUT_MS = 120 * 1000;
const STOP_TIMEOUT_MS = 20 * 1000;
const DEFAULT_JVM_OPTS = ['-Xmx1g', '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-XX:-OmitStackTraceInFastThrow'];
const URI_RE = /^NEO4J_BOLT_URI=(bolt:\/\/\S+)\s*$/;

const defaultLog = (msg) => process.stderr.write(`[neo4j-test-server] ${msg}\n`);

function resolveLog(log) {
  if (log === false) return () => {};
  return typeof log === 'function' ? log : defaultLog;
}

function javaBin() {
  const home = process.env.JAVA_HOME;
  if (home) {
    const candidate = path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (fs.existsSync(candidate)) return candidate;
  }
  return 'java';
}

const mvnBin = () => (process.platform === 'win32' ? 'mvn.cmd' : 'mvn');

/** Returns null when java >= 17 is usable, else a human-readable reason. */
function checkJava() {
  const bin = javaBin();
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    return r.error.code === 'ENOENT'
      ? `Java not found ('${bin}' is not on PATH); install a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless) to run the Neo4j tests`
      : `'${bin} -version' failed: ${r.error.message}`;
  }
  const out = `${r.stderr || ''}${r.stdout || ''}`;
  if (r.status !== 0) return `'${bin} -version' exited with ${r.status}: ${out.trim().split('\n')[0] || ''}`;
  const m = out.match(/version "(\d+)(?:\.(\d+))?/);
  if (m) {
    const major = m[1] === '1' ? Number(m[2]) : Number(m[1]);
    if (major < 17) return `Java ${major} found but Neo4j 5.26 needs Java 17+ ('${bin}')`;
  }
  return null;
}

/** Returns null when Maven is usable, else a human-readable reason. */
function checkMaven() {
  const r = spawnSync(mvnBin(), ['-v'], { encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' });
  if (r.error) {
    return r.error.code === 'ENOENT'
      ? `Maven not found ('mvn' is not on PATH) and the Neo4j test server jar is not built; install Maven 3.8+ (e.g. apt-get install maven) or pre-build with 'node test/neo4j-server/launcher.mjs build'`
      : `'mvn -v' failed: ${r.error.message}`;
  }
  if (r.status !== 0) return `'mvn -v' exited with ${r.status}`;
  return null;
}

function newestSourceMtime() {
  let newest = fs.statSync(path.join(HERE, 'pom.xml')).mtimeMs;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(path.join(HERE, 'src'));
  return newest;
}

/** True when target/ holds a complete build that is newer than pom.xml and src/. */
export function isBuilt() {
  try {
    if (!fs.existsSync(JAR) || !fs.existsSync(LIB) || fs.readdirSync(LIB).length === 0) return false;
    return fs.statSync(STAMP).mtimeMs >= newestSourceMtime();
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** Cross-process build lock (several test processes may start at once). */
async function withBuildLock(fn, log) {
  fs.mkdirSync(TARGET, { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT_MS + 60_000;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(LOCK).mtimeMs;
      } catch {
        continue; // lock vanished between mkdir and stat
      }
      if (age > BUILD_TIMEOUT_MS + 60_000) {
        fs.rmSync(LOCK, { recursive: true, force: true }); // stale lock of a killed build
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for build lock ${LOCK}`);
      if (!announced) {
        log('another process is building the Neo4j test server; waiting...');
        announced = true;
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds target/neo4j-test-server.jar (+ target/lib) with Maven if missing or older than the sources.
 * Returns { skipped: true, reason } if java/mvn are missing, else { built: boolean, jar }.
 */
export async function buildNeo4jServer({ log, force = false } = {}) {
  const say = resolveLog(log);
  const javaProblem = checkJava();
  if (javaProblem) return { skipped: true, reason: javaProblem };
  if (!force && isBuilt()) return { built: false, jar: JAR };
  const mvnProblem = checkMaven();
  if (mvnProblem) return { skipped: true, reason: mvnProblem };

  return withBuildLock(async () => {
    if (!force && isBuilt()) return { built: false, jar: JAR }; // built by another process meanwhile
    fs.rmSync(STAMP, { force: true });
    const started = Date.now();
    say('building Neo4j test server (mvn package; the first run downloads ~170 MB from Maven Central)...');
    const args = ['-q', '-B', '-Dstyle.color=never', 'package', '-DskipTests'];
    const tail = [];
    const code = await new Promise((resolve, reject) => {
      const child = spawn(mvnBin(), args, {
        cwd: HERE,
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
        env: { ...process.env, MAVEN_OPTS: process.env.MAVEN_OPTS || '-Xmx512m' },
      });
      const collect = (chunk) => {
        for (const line of stripAnsi(chunk.toString()).split('\n')) {
          if (line.trim()) tail.push(line);
        }
        if (tail.length > 60) tail.splice(0, tail.length - 60);
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const progress = setInterval(() => say(`still building... ${Math.round((Date.now() - started) / 1000)}s`), 30_000);
      const timer = setTimeout(() => {
        say(`build exceeded ${BUILD_TIMEOUT_MS / 60000} min, killing Maven`);
        child.kill('SIGKILL');
      }, BUILD_TIMEOUT_MS);
      child.on('error', (e) => {
        clearInterval(progress);
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (c, signal) => {
        clearInterval(progress);
        clearTimeout(timer);
        resolve(signal ? `signal ${signal}` : c);
      });
    });
    if (code !== 0 || !fs.existsSync(JAR)) {
      throw new Error(`Neo4j test server build failed (mvn ${args.join(' ')} in ${HERE}: exit ${code}):\n${tail.join('\n')}`);
    }
    fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
    say(`built in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { built: true, jar: JAR };
  }, say);
}

/**
 * Starts the embedded Neo4j. Resolves to { uri, pid, stop } or { skipped: true, reason } when java/mvn
 * are missing. Throws (with the server's last stderr lines) when the build or the startup fails.
 *
 * options: log (function | false), port (default 0 = any free port), dataDir (kept; default: a temp dir
 * that is deleted on stop), jvmOpts (array, replaces the defaults), startTimeoutMs (default 120000).
 */
export async function startNeo4j({ log, port = 0, dataDir, jvmOpts, startTimeoutMs = START_TIMEOUT_MS } = {}) {
  const say = resolveLog(log);
  const verbose = process.env.ARIADNE_NEO4J_VERBOSE === '1';
  const built = await buildNeo4jServer({ log });
  if (built.skipped) return built;

  const extra = (process.env.ARIADNE_NEO4J_JAVA_OPTS || '').split(/\s+/).filter(Boolean);
  const args = [...(jvmOpts || DEFAULT_JVM_OPTS), ...extra, '-jar', JAR, `--port=${port}`];
  if (process.env.ARIADNE_NEO4J_DEBUG_LOG === '1') args.push('--debug-log');
  if (dataDir) args.push(path.resolve(dataDir));

  const started = Date.now();
  const child = spawn(javaBin(), args, { cwd: HERE, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderrTail = [];
  let exited = null; // { code, signal } once the JVM is gone
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  child.stdin.on('error', () => {}); // EPIPE when the JVM is already gone

  let stderrBuf = '';
  child.stderr.on('data', (chunk) => {
    stderrBuf += chunk.toString();
    let nl;
    while ((nl = stderrBuf.indexOf('\n')) >= 0) {
      const line = stderrBuf.slice(0, nl);
      stderrBuf = stderrBuf.slice(nl + 1);
      stderrTail.push(line);
      if (stderrTail.length > 40) stderrTail.shift();
      if (verbose) say(`[java] ${line}`);
    }
  });
  const lastStderr = () => [...stderrTail, stderrBuf].filter((l) => l.trim()).slice(-25).join('\n');

  const killNow = () => {
    if (!exited) {
      try {
        child.kill('SIGKILL');
      } catch {}
    }
  };
  // Belt and braces: the JVM also exits on stdin EOF when this process dies.
  const onParentExit = () => {
    if (!exited) {
      try {
        child.kill('SIGTERM');
      } catch {}
    }
  };
  process.once('exit', onParentExit);

  const uri = await new Promise((resolve, reject) => {
    let stdoutBuf = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => {
      killNow();
      finish(new Error(`Neo4j did not report a Bolt URI within ${startTimeoutMs / 1000}s. Last stderr lines:\n${lastStderr()}`));
    }, startTimeoutMs);
    child.stdout.on('data', (chunk) => {
      stdoutBuf += chunk.toString();
      let nl;
      while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
        const line = stdoutBuf.slice(0, nl);
        stdoutBuf = stdoutBuf.slice(nl + 1);
        const m = line.match(URI_RE);
        if (m) finish(null, m[1]);
        else if (line.trim()) say(`[java stdout] ${line}`);
      }
    });
    child.on('error', (e) => finish(new Error(`could not start java: ${e.message}`)));
    exitPromise.then(({ code, signal }) =>
      // let the stderr pipe drain before reporting
      setTimeout(
        () => finish(new Error(`Neo4j exited during startup (code ${code}, signal ${signal}). Last stderr lines:\n${lastStderr()}`)),
        50,
      ),
    );
  }).catch((e) => {
    process.removeListener('exit', onParentExit);
    throw e;
  });

  say(`Neo4j ready at ${uri} (pid ${child.pid}, ${((Date.now() - started) / 1000).toFixed(1)}s)`);

  // Do not keep the caller's event loop alive just because the server runs: if the caller forgets
  // stop() and exits, the pipe closes and the JVM shuts down on stdin EOF.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) s?.unref?.();

  let stopping = null;
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        if (!exited) {
          child.stdin.end();
          try {
            child.kill('SIGTERM');
          } catch {}
          let timer;
          const timedOut = await Promise.race([
            exitPromise.then(() => false),
            new Promise((r) => {
              timer = setTimeout(() => r(true), STOP_TIMEOUT_MS);
            }),
          ]);
          clearTimeout(timer);
          if (timedOut) {
            say(`Neo4j (pid ${child.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s; killing it`);
            killNow();
            await exitPromise;
          }
        }
        process.removeListener('exit', onParentExit);
        return exited;
      })();
    }
    return stopping;
  };

  return { uri, pid: child.pid, stop };
}

async function cli(argv) {
  const cmd = argv[0];
  if (cmd === 'build') {
    const r = await buildNeo4jServer({ force: argv.includes('--force') });
    if (r.skipped) {
      defaultLog(`skipped: ${r.reason}`);
      return 3;
    }
    defaultLog(r.built ? `built ${r.jar}` : `up to date: ${r.jar}`);
    return 0;
  }
  if (cmd === 'run') {
    const portArg = argv.find((a) => a.startsWith('--port='));
    const neo = await startNeo4j({ port: portArg ? Number(portArg.slice(7)) : 0 });
    if (neo.skipped) {
      defaultLog(`skipped: ${neo.reason}`);
      return 3;
    }
    process.stdout.write(`NEO4J_BOLT_URI=${neo.uri}\n`);
    defaultLog('running; press Ctrl-C to stop');
    const keepAlive = setInterval(() => {}, 1 << 30);
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(keepAlive);
    defaultLog('stopping...');
    const t = Date.now();
    const exit = await neo.stop();
    defaultLog(`stopped in ${Date.now() - t} ms (java exit code ${exit?.code ?? exit?.signal})`);
    return 0;
  }
  process.stderr.write('usage: node test/neo4j-server/launcher.mjs build [--force] | run [--port=N]\n');
  return 2;
}

const invokedDirectly = (() => {
  try {
    return import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1] || '')).href;
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err.stack || err}\n`);
      process.exit(1);
    },
  );
}
