package org.ohemspark.report;

import org.ohemspark.core.ClassReport;

/** How the report names a class: {@code "3 road"}, or {@code "3"} for a class without a name. */
final class ClassNames {
  private ClassNames() {}

  static String label(ClassReport.ClassRow r) {
    return label(r.classId(), r.className());
  }

  static String label(int id, String name) {
    return name == null || name.isEmpty() ? Integer.toString(id) : id + " " + name;
  }
}
