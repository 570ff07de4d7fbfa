package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.config.ResumeSettings;

/**
 * Where resume positions are kept ({@code resume.store}): the core's own stores, or a
 * store shared by every replica, provided by the {@code connection-manager-cluster}
 * module (a {@link SharedResumeStores} bean).
 */
public enum ResumeStoreType {

	/** In memory: survives reconnects, not restarts. */
	MEMORY(ResumeSettings.Store.MEMORY),

	/** A file per connection under {@code resume.directory}: survives restarts. */
	FILE(ResumeSettings.Store.FILE),

	/** A Redis key per connection, shared by every replica. */
	REDIS(ResumeSettings.Store.MEMORY),

	/** A database row per connection, shared by every replica. */
	JDBC(ResumeSettings.Store.MEMORY);

	private final ResumeSettings.Store core;

	ResumeStoreType(ResumeSettings.Store core) {
		this.core = core;
	}

	/**
	 * The core's setting: a shared store is set on the builder by its
	 * {@link SharedResumeStores} bean, the core only keeps the flush policy.
	 */
	public ResumeSettings.Store core() {
		return this.core;
	}

	/** Whether the store is shared by the replicas (provided by a cluster module). */
	public boolean shared() {
		return this == REDIS || this == JDBC;
	}

	static ResumeStoreType of(ResumeSettings.Store store) {
		return (store == ResumeSettings.Store.FILE) ? FILE : MEMORY;
	}

}
