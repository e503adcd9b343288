// Breaks: a folder the house has no row for.
export const helper = 1;
