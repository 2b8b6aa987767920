// Package episode settles the account of an encounter or stay: it splits
// every priced charge into the shares each payer (in coverage order) and the
// patient owe, keeps every recomputation as a version with a readable diff,
// and gates approval on audit flags. It is pure.
package episode
