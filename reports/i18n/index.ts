import { en } from './en.ts'

export type MessageKey = keyof typeof en

/** A complete set of labels in one language. */
export type Messages = Record<MessageKey, string>

export { en }

/** The label for `key`, with `{name}` placeholders filled from `values`. */
export const translate = (
  messages: Messages,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string =>
  messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  )
