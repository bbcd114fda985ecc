package org.idbroker.providers.oidc.flavour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.junit.jupiter.api.Test;

/**
 * The flavour API is what the drop-in loader shows to jars in providers/ beside the SPI, so a flavour compiled against
 * it must never meet a type it cannot load: its public and protected signatures hold only JDK, SPI and its own types.
 */
class FlavourApiTest {

    private static final List<Class<?>> API = List.of(OidcFlavour.class, ClaimPath.class);

    @Test
    void itsSignaturesHoldOnlyJdkSpiAndFlavourTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : API) {
            List<Class<?>> used = new ArrayList<>(List.of(type.getSuperclass() == null ? Object.class : type.getSuperclass()));
            used.addAll(List.of(type.getInterfaces()));
            for (Executable member : Stream.concat(Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors()))
                    .filter(m -> visible(m.getModifiers())).toList()) {
                used.addAll(List.of(member.getParameterTypes()));
                used.addAll(List.of(member.getExceptionTypes()));
                if (member instanceof Method method) {
                    used.add(method.getReturnType());
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    used.add(field.getType());
                }
            }
            used.stream().filter(c -> !allowed(c)).forEach(c -> leaks.add(type.getSimpleName() + " uses " + c.getName()));
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void theGenericModuleExportsExactlyThisPackageToDropInJars() throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream("META-INF/idbroker/exported-packages")) {
            assertThat(new String(in.readAllBytes()).strip()).isEqualTo(OidcFlavour.class.getPackageName());
        }
    }

    @Test
    void aFlavourPresetsSettingsAndRefusesABadClaimPathAsASettingsError() {
        OidcFlavour flavour = new OidcFlavour("nested", "Nested", Map.of(OidcFlavour.ROLE_CLAIM_TYPE, "realm_access.roles")) {
            @Override
            protected ClaimPath groupsClaim(String roleClaimType) {
                return ClaimPath.parse(roleClaimType);
            }
        };
        assertThat(flavour.type()).isEqualTo("nested");
        assertThat(flavour.settings()).filteredOn(d -> d.name().equals("roleClaimType")).singleElement()
                .satisfies(d -> assertThat(d.defaultValue()).isEqualTo("realm_access.roles"));
        ProviderSettings bad = new ProviderSettings(Map.of("issuer", "https://idp.example.com", "clientId", "c",
                "roleClaimType", "realm_access..roles"));
        assertThatThrownBy(() -> flavour.create(new ProviderContext("N", bad, URI.create("https://broker.example.com/cb"))))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.setting()).isEqualTo("roleClaimType"));
        assertThatThrownBy(() -> new OidcFlavour("x", "X", Map.of("noSuchSetting", "1")) { })
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noSuchSetting");
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean allowed(Class<?> type) {
        Class<?> c = type.isArray() ? type.getComponentType() : type;
        String name = c.getName();
        return c.isPrimitive() || name.startsWith("java.") || name.startsWith("org.idbroker.spi.")
                || c.getPackageName().equals(OidcFlavour.class.getPackageName());
    }
}
