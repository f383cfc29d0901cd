import type { AdoptionPowerReport } from './adoption.js'
import type { CrashState } from './model.js'
import type { PowerReport } from './trial.js'
import { type Evidence, lostByBrowser } from './twins.js'

/** A power-loss report in words: the figures, then every lost state with what it kept and the evidence. */
export function describeReport(report: PowerReport): string {
  const { driver, rule, seed, ops, fsyncs, dirFsyncs, crashPoints, states, disks, checkedDisks, checkedStates } = report
  const { survived, held, lost, ms, launchesNeeded, launches, relaunched, relaunchDiffers } = report
  const browsers = lost.filter(lostByBrowser).length
  const resurrected = lost.filter(({ problem }) => problem === 'RESURRECTED').length
  const dropped = report.absentDropped
    ? `, ${report.absentDropped} of them with the whole directory or database gone`
    : ''
  const older = report.resurrectedOlder ? `; a save an acknowledged remove deleted: ${report.resurrectedOlder}` : ''
  const removes =
    report.absent || resurrected || older ? ` (no file, as a remove left it: ${report.absent}${dropped}${older})` : ''
  const resurrections = resurrected ? `, ${resurrected} of them resurrected` : ''
  return [
    `${driver}, ${rule} (seed ${seed}): ${ops} ops logged (${fsyncs} fsyncs of files, ${dirFsyncs} of directories), ${crashPoints} crash points`,
    ...report.synced.map((line) => `  synced: ${line}`),
    `  ${states} states generated, ${disks} distinct disks, ${launchesNeeded} launches' worth; ${checkedDisks} disks loaded, standing for ${checkedStates} states, in ${launches} launches (twins included): ${survived} survived (in flight ${held['in-flight']} / previous ${held.previous} / between ${held.between} / older ${held.older} / none yet ${held.none})${removes}, ${lost.length} lost (${browsers} by the browser, with evidence)${resurrections}; ${(ms / 1000).toFixed(1)} s`,
    `  loaded again in a launch of its own: ${relaunched} disks, ${relaunchDiffers.length} of them otherwise`,
    ...relaunchDiffers.map((line) => `    loaded ${line}`),
    ...lost.map(({ disk, problem, detail, acked, started, state, ...evidence }) =>
      [
        `  disk ${disk}: ${problem} (${detail.split('\n')[0]}); crash after op ${state.point}, last acked ${acked}, last started ${started}`,
        ...describeEvidence({ problem, ...evidence }, state),
      ].join('\n'),
    ),
  ].join('\n')
}

/** An adoption power-loss report in words: the figures, then every lost state with what it kept and the evidence. */
export function describeAdoptionReport(report: AdoptionPowerReport): string {
  const { serving, other, seed, ops, states, disks, checkedDisks, checkedStates, launches, survived, lost, ms } = report
  const browsers = lost.filter(lostByBrowser).length
  return [
    `adoption from ${other} into ${serving} (seed ${seed}): ${ops} ops logged`,
    ...report.synced.map((line) => `  synced: ${line}`),
    `  ${states} states generated, ${disks} distinct disks; ${checkedDisks} disks booted and swept again, standing for ${checkedStates} states, in ${launches} launches (twins included): ${survived} survived (${report.leftInOther} with a file still in ${other}), ${lost.length} lost (${browsers} by the browser, with evidence); ${(ms / 1000).toFixed(1)} s`,
    ...lost.map(({ disk, detail, state, ...evidence }) =>
      [
        `  disk ${disk}: ${evidence.problem}; crash after op ${state.point}`,
        ...detail.map((line) => `    ${line}`),
        ...describeEvidence(evidence, state),
      ].join('\n'),
    ),
  ].join('\n')
}

/** What a lost state kept of what was pending, and the evidence for who lost it, a line each. */
function describeEvidence(evidence: Evidence, state: CrashState): string[] {
  return [
    `    ${state.inOrder ? 'every file kept a prefix of its writes' : 'some file kept a later page and lost an earlier one'}`,
    ...state.pending.map(
      ({ path, pending, kept, mode }) => `    ${path}: kept ${kept} of ${pending} pending pieces (${mode})`,
    ),
    `    name changes: kept ${state.namesKept} of ${state.namesPending} pending${state.namesDropped.length ? `; dropped: ${state.namesDropped.join(', ')}` : ''}`,
    `    with every directory synced: ${evidence.withDirectoriesSynced}`,
    ...(evidence.withBrowserDatabasesSynced
      ? [`    and the browser's own databases' unsynced writes kept too: ${evidence.withBrowserDatabasesSynced}`]
      : []),
    ...(evidence.withUnsyncedFilesKept
      ? [`    and every file the browser never fsynced kept whole too: ${evidence.withUnsyncedFilesKept}`]
      : []),
    ...evidence.tornLogs.map((line) => `    the browser's own log: ${line}`),
    ...(evidence.droppedByBrowser
      ? ['    before the driver looked, the browser held no such directory or database']
      : []),
    ...(evidence.nothingSynced ? ['    the browser fsynced no file and no directory in the whole recording'] : []),
    `    ${lostByBrowser(evidence) ? "the browser's loss" : 'NOT explained by the browser'}`,
  ]
}
