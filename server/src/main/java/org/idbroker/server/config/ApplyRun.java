package org.idbroker.server.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.server.config.ConfigFile.Problem;
import org.jdbi.v3.core.Handle;

/**
 * One apply inside its transaction: the lines it says, and the refusals it met. Each change runs in a
 * savepoint, so a refusal undoes only that change and the run goes on to list every other problem;
 * with any refusal, the whole transaction is rolled back.
 */
final class ApplyRun {

    final Handle handle;
    final List<String> lines = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    private int savepoints;

    /** @param problems those found before the transaction: what they concern is not changed */
    ApplyRun(Handle handle, List<Problem> problems) {
        this.handle = requireNonNull(handle, "handle is null");
        this.problems.addAll(problems);
    }

    /** Whether a problem concerns the thing at {@code where} or a part of it (then it is left out: the run is undone anyway). */
    boolean spoiled(ConfigFile.Path where) {
        if (where == null) {
            return true;
        }
        String at = where.dotted();
        return problems.stream().map(p -> p.path().dotted())
                .anyMatch(d -> d.equals(at) || d.startsWith(at + ".") || d.startsWith(at + "["));
    }

    void say(String line) {
        lines.add(line);
    }

    void problem(ConfigFile.Path where, String message) {
        problems.add(new Problem(where, message));
    }

    /**
     * Makes one change; a refusal of the broker undoes it and is listed at the place of the field it
     * names ({@code fields}), else at {@code where}.
     *
     * @return whether the change was made
     */
    boolean attempt(ConfigFile.Path where, Map<String, ConfigFile.Path> fields, Runnable change) {
        return attempt(where, fields, change, ChangeRefusedException::getMessage);
    }

    /** As {@link #attempt(ConfigFile.Path, Map, Runnable)}, telling a refusal in words of the file's own. */
    boolean attempt(ConfigFile.Path where, Map<String, ConfigFile.Path> fields, Runnable change,
            Function<ChangeRefusedException, String> message) {
        String savepoint = "apply_" + ++savepoints;
        handle.savepoint(savepoint);
        try {
            change.run();
            handle.releaseSavepoint(savepoint);
            return true;
        } catch (ChangeRefusedException e) {
            handle.rollbackToSavepoint(savepoint);
            String field = e.code().startsWith("invalid_") ? e.code().substring("invalid_".length()) : "";
            problem(fields.getOrDefault(field, where), message.apply(e));
            return false;
        }
    }

    /** Runs {@code change} and undoes it again when {@code unchanged} says it made no difference (and so no event). */
    <T> boolean changeUnlessSame(T before, java.util.function.Supplier<T> change, java.util.function.BiPredicate<T, T> unchanged) {
        String savepoint = "same_" + ++savepoints;
        handle.savepoint(savepoint);
        T after = change.get();
        if (unchanged.test(before, after)) {
            handle.rollbackToSavepoint(savepoint);
            return false;
        }
        handle.releaseSavepoint(savepoint);
        return true;
    }
}
