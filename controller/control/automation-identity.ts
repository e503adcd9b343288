// Whose commit is a bot's (docs/control-file.md#circuit-breakers): a commit author matched against
// policy.automation_identities, patterns where `*` stands for any run of characters.

const patternOf = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );

/** `author` as git prints it, "Name <email>": true when the name or the email matches a pattern. */
export function isAutomationIdentity(author: string, patterns: readonly string[]): boolean {
  const match = /^(.*?)\s*<([^>]*)>\s*$/.exec(author);
  const candidates = match ? [match[1] ?? '', match[2] ?? ''] : [author];
  return patterns.some((glob) => {
    const pattern = patternOf(glob);
    return candidates.some((value) => value !== '' && pattern.test(value));
  });
}
