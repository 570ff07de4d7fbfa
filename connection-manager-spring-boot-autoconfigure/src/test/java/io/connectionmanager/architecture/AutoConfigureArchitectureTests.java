package io.connectionmanager.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The auto-configuration module's architecture: it adapts the core through the core's
 * public API only (the {@code internal} packages are unsupported and may change in any
 * release), and its own packages depend on each other without cycles.
 */
@AnalyzeClasses(packages = { "io.connectionmanager.autoconfigure", "io.connectionmanager.actuate",
		"io.connectionmanager.event" }, importOptions = ImportOption.DoNotIncludeTests.class)
class AutoConfigureArchitectureTests {

	@ArchTest
	static final ArchRule usesOnlyThePublicApiOfTheCore = noClasses().should()
		.dependOnClassesThat()
		.resideInAPackage("io.connectionmanager.core.internal..")
		.because("the core's internal packages are not part of its API");

	@ArchTest
	static final ArchRule packagesAreFreeOfCycles = slices().matching("io.connectionmanager.(**)")
		.should()
		.beFreeOfCycles();

}
