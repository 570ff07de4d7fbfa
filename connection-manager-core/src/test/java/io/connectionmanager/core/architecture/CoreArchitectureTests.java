package io.connectionmanager.core.architecture;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core's shape, checked on its compiled classes: plain Java without Spring Boot, no
 * cycles between its packages, and a public API that does not hand out internal types.
 */
class CoreArchitectureTests {

	private static final String CORE = "io.connectionmanager.core";

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages(CORE);

	/**
	 * One slice per package directly under the core, with its subpackages (so
	 * {@code internal} is one), and one for the core's own package, where
	 * {@code ManagedConnection} and its builder live (the handler API is in
	 * {@code handler}, so that the engine in {@code internal} needs nothing from the
	 * root).
	 */
	private static final SliceAssignment CORE_PACKAGES = new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (name.equals(CORE)) {
				return SliceIdentifier.of("core");
			}
			if (name.startsWith(CORE + ".")) {
				return SliceIdentifier.of("core." + name.substring(CORE.length() + 1).split("\\.")[0]);
			}
			return SliceIdentifier.ignore();
		}

		@Override
		public String getDescription() {
			return "the core's packages (" + CORE + " and each " + CORE + ".(*)..)";
		}

	};

	@Test
	void nothingInCoreDependsOnSpringBoot() {
		ArchRule rule = noClasses().that()
			.resideInAPackage(CORE + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot..")
			.because("the core is plain Java; Spring Boot is the auto-configuration's business");
		rule.check(MAIN);
	}

	@Test
	void corePackagesHaveNoCycles() {
		ArchRule rule = slices().assignedFrom(CORE_PACKAGES)
			.should()
			.beFreeOfCycles()
			.because("each package can then be read, and changed, with only what it depends on");
		rule.check(MAIN);
	}

	@Test
	void thePublicApiDoesNotExposeInternalTypes() {
		ArchRule rule = members().that(arePublicApi())
			.should(notMentionInternalTypes())
			.because("internal types may change at any time; a public signature would make them API");
		rule.check(MAIN);
	}

	/**
	 * Public (or protected) members of public types outside {@code internal}: what a user
	 * or a transport author can call, override or read.
	 */
	private static DescribedPredicate<JavaMember> arePublicApi() {
		return DescribedPredicate.describe("are public API of the core", (member) -> {
			JavaClass owner = member.getOwner();
			boolean ownerPublic = owner.getModifiers().contains(JavaModifier.PUBLIC)
					&& !owner.getPackageName().contains(".internal");
			boolean visible = member.getModifiers().contains(JavaModifier.PUBLIC)
					|| member.getModifiers().contains(JavaModifier.PROTECTED);
			return ownerPublic && visible && !member.getModifiers().contains(JavaModifier.SYNTHETIC);
		});
	}

	private static ArchCondition<JavaMember> notMentionInternalTypes() {
		return new ArchCondition<>("not mention internal types in their signature") {
			@Override
			public void check(JavaMember member, ConditionEvents events) {
				Set<String> internal = signatureTypes(member).stream()
					.filter((type) -> type.getPackageName().startsWith(CORE + ".internal"))
					.map(JavaClass::getName)
					.collect(Collectors.toCollection(TreeSet::new));
				if (!internal.isEmpty()) {
					events.add(SimpleConditionEvent.violated(member,
							member.getFullName() + " exposes " + String.join(", ", internal)));
				}
			}
		};
	}

	/** Every type named by a member's signature, type arguments included. */
	private static Set<JavaClass> signatureTypes(JavaMember member) {
		if (member instanceof JavaField field) {
			return field.getType().getAllInvolvedRawTypes();
		}
		JavaCodeUnit unit = (JavaCodeUnit) member;
		Set<JavaClass> types = new HashSet<>(unit.getReturnType().getAllInvolvedRawTypes());
		unit.getParameterTypes().forEach((type) -> types.addAll(type.getAllInvolvedRawTypes()));
		unit.getExceptionTypes().forEach((type) -> types.addAll(type.getAllInvolvedRawTypes()));
		return types;
	}

}
