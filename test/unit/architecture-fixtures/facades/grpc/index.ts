// Breaks: a facade the house has no row for.
export const grpc = 1;
