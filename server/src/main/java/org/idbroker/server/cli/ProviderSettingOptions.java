package org.idbroker.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.idbroker.server.providers.BrokerSettings;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SettingDescriptor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code configure} options of the provider settings, made from the setting descriptors of the broker
 * ({@link BrokerSettings}) and of every installed type: {@code --kebab-case-name} for a plain setting
 * ({@code usernameClaimType}: {@code --username-claim-type}), {@code --kebab-case-name-file} for a secret, read from
 * that file ({@code clientSecret}: {@code --client-secret-file}); the help is the descriptor's label and help, for a
 * setting several types describe differently each type's. A plain setting whose option name a fixed option already
 * has is given with {@code --set} only; such a secret ({@code dbPassword}: {@code --db-password-file} is the
 * database's) with the settings API or {@code apply}.
 */
final class ProviderSettingOptions {

    private record Generated(SettingDescriptor setting, OptionSpec option) {
    }

    private final List<Generated> generated;
    /** The secret settings whose option a fixed option has: not given on this command line. */
    private final Set<String> shadowed;

    private ProviderSettingOptions(List<Generated> generated, Set<String> shadowed) {
        this.generated = List.copyOf(generated);
        this.shadowed = Set.copyOf(shadowed);
    }

    /**
     * Adds one option per setting to {@code spec}. A setting several types share is one option whose help is true for
     * each of them: the one help when they describe it alike, else each type's description with the types it is theirs.
     */
    static ProviderSettingOptions addTo(CommandSpec spec, ProviderTypes types) {
        Map<String, SettingDescriptor> broker = new LinkedHashMap<>();
        BrokerSettings.DESCRIPTORS.forEach(d -> broker.put(optionName(d), d));
        List<IdentityProviderFactory> ordered = new ArrayList<>(types.defaultForNewInstances().stream().toList());
        types.all().stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
        // by option name, then by what the description says (label and help): the types that describe it so
        Map<String, Map<List<String>, Described>> byOption = new LinkedHashMap<>();
        for (IdentityProviderFactory factory : ordered) {
            for (SettingDescriptor d : factory.settings()) {
                String name = optionName(d);
                if (!broker.containsKey(name)) {
                    byOption.computeIfAbsent(name, n -> new LinkedHashMap<>())
                            .computeIfAbsent(List.of(d.label(), d.help()), k -> new Described(d, new ArrayList<>()))
                            .types().add(factory.type());
                }
            }
        }
        List<Generated> generated = new ArrayList<>();
        Set<String> shadowed = new TreeSet<>();
        broker.forEach((name, d) -> add(spec, name, d, List.of(description(d)), generated));
        byOption.forEach((name, described) -> {
            int giving = described.values().stream().mapToInt(one -> one.types().size()).sum();
            boolean alike = described.size() == 1 && giving == ordered.size();
            List<String> lines = described.values().stream().map(one -> description(one.setting())
                    + (alike ? "" : " Types: " + String.join(", ", one.types()) + ".")).toList();
            SettingDescriptor d = described.values().iterator().next().setting();
            if (!add(spec, name, d, lines, generated) && d.secret()) {
                shadowed.add(d.name());
            }
        });
        return new ProviderSettingOptions(generated, shadowed);
    }

    /** How some types describe a setting. */
    private record Described(SettingDescriptor setting, List<String> types) {
    }

    /** Adds the option {@code name} of the setting, unless a fixed option has the name: whether it did. */
    private static boolean add(CommandSpec spec, String name, SettingDescriptor d, List<String> help, List<Generated> generated) {
        if (spec.findOption(name) != null) {
            return false;
        }
        OptionSpec option = OptionSpec.builder(name).paramLabel(paramLabel(d)).type(d.secret() ? Path.class : String.class)
                .description(help.stream().map(ProviderSettingOptions::escaped).toArray(String[]::new)).build();
        spec.addOption(option);
        generated.add(new Generated(d, option));
        return true;
    }

    /** {@code --issuer}, {@code --client-id}, {@code --client-secret-file}: the option of a setting. */
    static String optionName(SettingDescriptor d) {
        return optionName(d.name(), d.secret());
    }

    private static String optionName(String setting, boolean secret) {
        String kebab = setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        return "--" + kebab + (secret ? "-file" : "");
    }

    /**
     * How the secret setting {@code name} is given, said to someone who gave it as {@code --secret-file name=file}: its
     * option ({@code --bind-password-file file} for {@code bindPassword}), or why it has none.
     */
    String secretOptionFor(String name, Path file) {
        Optional<String> option = generated.stream().filter(g -> g.setting().secret() && g.setting().name().equals(name))
                .map(g -> g.option().longestName()).findFirst();
        if (option.isPresent()) {
            return option.get() + " " + file + " for " + name;
        }
        if (shadowed.contains(name)) {
            return "none for '" + name + "', whose option " + optionName(name, true)
                    + " is one of configure's own: set it with the settings API or 'idbroker apply'";
        }
        return "none for '" + name + "', which is no secret setting of an installed type";
    }

    /** The plain settings given on the command line, by setting name. */
    Map<String, String> settings() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Generated g : generated) {
            if (!g.setting().secret() && g.option().getValue() != null) {
                values.put(g.setting().name(), g.option().getValue());
            }
        }
        return values;
    }

    /** The secrets whose files were given, read and stripped of surrounding white space. */
    Map<String, String> secrets() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Generated g : generated) {
            if (!g.setting().secret() || g.option().getValue() == null) {
                continue;
            }
            Path file = g.option().getValue();
            try {
                values.put(g.setting().name(), Files.readString(file).strip());
            } catch (IOException e) {
                throw new CliException("cannot read the " + g.setting().label().toLowerCase(Locale.ROOT) + " file " + file
                        + ": " + e.getMessage());
            }
        }
        return values;
    }

    private static String description(SettingDescriptor d) {
        if (d.secret()) {
            return "File holding the " + d.label() + " (never given on the command line itself). " + d.help();
        }
        return d.label() + ": " + d.help();
    }

    private static String paramLabel(SettingDescriptor d) {
        if (d.secret()) {
            return "FILE";
        }
        return switch (d.kind()) {
            case BOOLEAN -> "true|false";
            case URL -> "URL";
            case INTEGER -> "N";
            case LIST -> "VALUES";
            case CHOICE -> String.join("|", d.choices());
            default -> "TEXT";
        };
    }

    /** Help text is printed as it is: no format specifiers, no picocli variables. */
    private static String escaped(String text) {
        return text.replace("%", "%%").replace("${", "$${");
    }
}
