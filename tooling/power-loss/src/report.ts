import type { PowerReport } from './trial.js'

/** A power-loss report in words: the figures, then every lost state with what it kept. */
export function describeReport(report: PowerReport): string {
  const { driver, seed, ops, fsyncs, dirFsyncs, crashPoints, states, disks, checkedDisks, checkedStates } = report
  const { survived, outcomes, lost, ms } = report
  return [
    `${driver} (seed ${seed}): ${ops} ops logged (${fsyncs} fsyncs of files, ${dirFsyncs} of directories), ${crashPoints} crash points`,
    `  ${states} states generated, ${disks} distinct disks; ${checkedDisks} disks booted, standing for ${checkedStates} states: ${survived} survived (in flight ${outcomes['in-flight']} / previous ${outcomes.previous} / between ${outcomes.between}), ${lost.length} lost; ${(ms / 1000).toFixed(1)} s`,
    ...lost.map(({ disk, problem, detail, acked, started, state }) =>
      [
        `  disk ${disk}: ${problem} (${detail}); crash after op ${state.point}, last acked ${acked}, last started ${started}`,
        ...state.pending.map(
          ({ path, pending, kept, mode }) => `    ${path}: kept ${kept} of ${pending} pending pieces (${mode})`,
        ),
        `    name changes: kept ${state.namesKept} of ${state.namesPending} pending`,
      ].join('\n'),
    ),
  ].join('\n')
}
