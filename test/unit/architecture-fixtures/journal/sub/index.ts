// Clean here: a sub-folder's door is for its own folder, not for git/ (see git/index.ts).
export const deep = 1;
