// Clean: the one commented exception, copying the environment for git's children.

export const childEnv = (): Record<string, string | undefined> => ({ ...process.env, GIT_TERMINAL_PROMPT: '0' });
