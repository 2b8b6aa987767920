// Package app sequences the hub's use cases over port interfaces: one file
// per command. It is the only core package that sees ports, and it does no
// I/O of its own: clocks, stores, buses and deliverers are passed in.
package app
