import {
  httpThroughSecurityServersVsDirect,
  httpThroughSecurityServersVsPrismCli,
} from './entries/http.ts'
import { inprocExchangeVsBarePrism } from './entries/inproc.ts'
import { logAppendsPerSecond } from './entries/log.ts'
import { diffVsOpenapiDiff, lintVsRedocly, lintVsSpectral, runVsRespect } from './entries/peers.ts'
import { inprocStepVsBarePrism, suiteVsStartup } from './entries/runner.ts'
import { suiteScale, suiteScaleLarge } from './entries/scale.ts'
import { serveRssMb, serveStartMs } from './entries/serve.ts'
import {
  oneScenarioVsBareNode,
  oneScenarioVsStartup,
  versionVsBareNode,
} from './entries/startup.ts'
import type { Benchmark } from './types.ts'

/**
 * Every benchmark of `npm run bench`, run in this order. The `sild serve` ones come first so that
 * its memory is read after a few hundred requests, not after the throughput runs.
 */
export const benchmarks: readonly Benchmark[] = [
  serveStartMs,
  serveRssMb,
  httpThroughSecurityServersVsDirect,
  httpThroughSecurityServersVsPrismCli,
  inprocExchangeVsBarePrism,
  inprocStepVsBarePrism,
  suiteVsStartup,
  versionVsBareNode,
  oneScenarioVsStartup,
  oneScenarioVsBareNode,
  logAppendsPerSecond,
  lintVsSpectral,
  lintVsRedocly,
  runVsRespect,
  diffVsOpenapiDiff,
  suiteScale,
  suiteScaleLarge,
]
