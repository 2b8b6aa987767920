package app

// LookAllBatches lets the tests count the batches Predecide looks every
// charge item up for.
const LookAllBatches = lookAllBatches
