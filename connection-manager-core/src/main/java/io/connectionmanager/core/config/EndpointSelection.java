package io.connectionmanager.core.config;

/** The order in which a connection with several {@code urls} tries them. */
public enum EndpointSelection {

	/**
	 * The primary (the first URL) first, then the others in order; after
	 * {@code endpoint-failback-after} on another endpoint, back to the primary.
	 */
	ORDERED,

	/**
	 * The URLs shuffled once per connection, so that connections and fleets spread over
	 * them; no failback.
	 */
	RANDOM

}
