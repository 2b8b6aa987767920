// Package delivery holds the pure policies of outbound delivery: when to
// retry (capped exponential backoff), when to give up (dead-letter), when an
// outcome must not be retried at all (money movement whose result is
// unknown), and when a failing binding is paused (circuit breaker).
package delivery
