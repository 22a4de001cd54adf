package org.ohemspark.model;

/**
 * The model, its declaration ({@code model.json}, {@code --model-param}) or the flags that
 * choose it do not fit together: a configuration error, known before any image is mined (the
 * job exits 2, bad arguments). The message names the model or file and what was expected.
 */
public class ModelConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ModelConfigException(String message) {
    super(message);
  }

  public ModelConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
