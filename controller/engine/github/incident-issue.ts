// The incident issue of an ecosystem's circuit breaker (docs/github-api.md#incident-issues): opened (or commented
// on, never a duplicate) when the breaker opens, closed with a comment when it closes.
import type { Logger } from '../../log/index.js';
import type { GitHubPort, IssueAction } from './github-port.js';

export const INCIDENT_LABEL = 'incident';

/** The hidden marker that makes an issue this ecosystem's incident. */
export const incidentMarker = (ecosystem: string): string => `<!-- batchctl:breaker:${ecosystem} -->`;

/**
 * The open incident issue a stop links (`incident_url`) when the operator gives none: the ecosystem's, or
 * for a stop of everything the newest open breaker incident. A stop never fails for GitHub: null then.
 */
export async function openIncidentUrl(port: GitHubPort, ecosystem: string | undefined, logger: Logger): Promise<string | null> {
  try {
    const found = await port.findIssue({
      label: INCIDENT_LABEL,
      marker: ecosystem === undefined ? '<!-- batchctl:breaker:' : incidentMarker(ecosystem),
    });
    return found?.url ?? null;
  } catch (error) {
    logger.warn({ err: error }, 'could not look for the open incident issue; the stop carries no incident_url');
    return null;
  }
}

export interface BreakerChange {
  ecosystem: string;
  from: string;
  to: string;
  why?: string;
  batchId: string | null;
}

/**
 * The writes syncIncident makes for a transition, charged in advance with the outcome's control state: an
 * opening is one (the issue, or a comment on the open one), a closing two (the comment, the close; none
 * when no issue is open, which is only known later: charged as the most it makes, as the status is).
 */
export function incidentWrites(to: string): number {
  if (to === 'open') return 1;
  if (to === 'closed') return 2;
  return 0;
}

/** Opens or closes the incident for one breaker transition; null when the transition needs neither. */
export async function syncIncident(port: GitHubPort, change: BreakerChange): Promise<IssueAction | null> {
  const ref = { label: INCIDENT_LABEL, marker: incidentMarker(change.ecosystem) };
  const run = port.runUrl ? `\n\nRun: ${port.runUrl}` : '';
  const batch = change.batchId ? ` after batch \`${change.batchId}\`` : '';
  if (change.to === 'open') {
    const text =
      `The circuit breaker of ecosystem \`${change.ecosystem}\` opened${batch}${change.why ? `: ${change.why}` : ''}. ` +
      `It refuses the ecosystem's batches until its recovery time, then admits one probe batch.\n\n` +
      '`batchctl control` shows its state; `batchctl stop --ecosystem ' +
      `${change.ecosystem} --reason …\` holds it stopped while you look (the stop links this issue).${run}`;
    return port.raiseIssue({
      ...ref,
      title: `Incident: circuit breaker open for ${change.ecosystem}`,
      body: text,
      comment: `Opened again. ${text}`,
    });
  }
  if (change.to === 'closed') {
    return port.closeIssue({
      ...ref,
      comment: `The circuit breaker of \`${change.ecosystem}\` closed${batch}: its batches run again.${run}`,
    });
  }
  return null;
}
