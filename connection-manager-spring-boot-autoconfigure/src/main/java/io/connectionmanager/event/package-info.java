/**
 * Spring {@code ApplicationEvent}s published by managed connections: state changes,
 * missed heartbeats, sequence gaps, dropped duplicates, refused subscriptions and data
 * silences.
 */
package io.connectionmanager.event;
