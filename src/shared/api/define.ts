import type { z } from 'zod';

/** One API method: a zod schema for its input and one for its output. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

/** Keeps each method's literal schema types while checking the shape. */
export const defineMethods = <T extends Record<string, MethodSpec>>(methods: T): T => methods;
