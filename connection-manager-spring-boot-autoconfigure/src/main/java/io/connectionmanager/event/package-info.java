/**
 * Spring {@code ApplicationEvent}s published by managed connections: state changes,
 * missed heartbeats, sequence gaps and dropped duplicates.
 */
package io.connectionmanager.event;
