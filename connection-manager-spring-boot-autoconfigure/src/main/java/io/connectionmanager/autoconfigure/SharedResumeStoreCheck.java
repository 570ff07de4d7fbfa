package io.connectionmanager.autoconfigure;

import java.util.Locale;

import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * Stops start-up when a connection asks for a shared resume store ({@code resume.store:
 * redis} or {@code jdbc}) that no {@link SharedResumeStores} bean provides, rather than
 * keep its positions in memory where the next holder cannot see them.
 */
final class SharedResumeStoreCheck implements SmartInitializingSingleton {

	private final ConnectionDefinitions definitions;

	private final ObjectProvider<SharedResumeStores> stores;

	private final InvalidPropertyTranslator errors;

	SharedResumeStoreCheck(ConnectionDefinitions definitions, ObjectProvider<SharedResumeStores> stores,
			Environment environment) {
		this.definitions = definitions;
		this.stores = stores;
		this.errors = new InvalidPropertyTranslator(environment);
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (ConnectionDefinition definition : this.definitions.all()) {
			ResumeStoreType type = definition.cluster().resumeStore();
			if (definition.settings().resume().enabled() && type.shared()
					&& this.stores.stream().noneMatch((store) -> store.supports(type))) {
				String value = type.name().toLowerCase(Locale.ROOT);
				throw this.errors.translate(definition.name(), new InvalidConnectionSettingException("resume.store",
						value, Reason.UNSUPPORTED_VALUE,
						"needs the io.connectionmanager:connection-manager-cluster dependency and "
								+ ((type == ResumeStoreType.REDIS) ? "Spring Data Redis (a RedisConnectionFactory bean)"
										: "a DataSource bean")));
			}
		}
	}

}
