package io.connectionmanager.reliability.support;

import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;

/**
 * What a user would read on a failed start-up: the first analysis from every
 * {@link FailureAnalyzer} registered in {@code spring.factories} (Boot's and ours),
 * loaded the way Boot's own {@code FailureAnalyzers} does.
 */
public final class BootFailureAnalysis {

	private BootFailureAnalysis() {
	}

	/**
	 * The analysis Boot would print, or {@code null} when no analyzer explains the
	 * failure.
	 */
	public static FailureAnalysis analyze(Throwable failure) {
		// A failed context no longer hands out its bean factory; the analyzers that
		// matter here need neither.
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(BootFailureAnalysis.class.getClassLoader())
			.load(FailureAnalyzer.class, arguments,
					SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
						// as Boot does: an analyzer whose optional dependency is absent
						// (e.g. Bean Validation) is skipped
					}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

}
