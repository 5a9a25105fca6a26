import { ROUTER_MODEL_FORMAT, type TextModel } from './classifier.js';

/**
 * A model as stored: a small JSON header (format, labels, options, temperature) and one byte
 * array holding the IDF then the weights as little-endian float32. The format number travels in
 * the header, so a model written by another version is recognised and refused, not misread.
 */

export interface StoredModelHeader {
  format: number;
  labels: string[];
  features: TextModel['features'];
  classes: number;
  dimension: number;
  temperature: number;
}

export function encodeModel(model: TextModel): { header: StoredModelHeader; bytes: Uint8Array } {
  const floats = new Float32Array(model.idf.length + model.svm.weights.length);
  floats.set(model.idf, 0);
  floats.set(model.svm.weights, model.idf.length);
  return {
    header: {
      format: model.format,
      labels: model.labels,
      features: model.features,
      classes: model.svm.classes,
      dimension: model.svm.dimension,
      temperature: model.temperature,
    },
    bytes: new Uint8Array(floats.buffer),
  };
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** The model back, or a `ModelFormatError` when it is of another format or its bytes do not fit its header. */
export function decodeModel(header: StoredModelHeader, bytes: Uint8Array): TextModel {
  if (header.format !== ROUTER_MODEL_FORMAT) {
    throw new ModelFormatError(`the stored model has format ${header.format}; this version reads format ${ROUTER_MODEL_FORMAT}`);
  }
  const idfLength = header.dimension;
  const weightLength = header.classes * (header.dimension + 1);
  if (bytes.byteLength !== 4 * (idfLength + weightLength)) {
    throw new ModelFormatError(`the stored model has ${bytes.byteLength} bytes; its header calls for ${4 * (idfLength + weightLength)}`);
  }
  // Copied into a fresh, aligned buffer: the database driver's bytes may start at any offset.
  const floats = new Float32Array(idfLength + weightLength);
  new Uint8Array(floats.buffer).set(bytes);
  return {
    format: header.format,
    labels: header.labels,
    features: header.features,
    idf: floats.subarray(0, idfLength),
    svm: { classes: header.classes, dimension: header.dimension, weights: floats.subarray(idfLength) },
    temperature: header.temperature,
  };
}
