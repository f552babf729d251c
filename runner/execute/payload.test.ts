import { expect, test } from 'vitest'
import { buildPayload } from './payload.ts'

const ctx = { inputs: { petId: 7, name: 'Rex' }, steps: {} }

test('reads a JSON-templated string payload as the JSON it spells', () => {
  expect(
    buildPayload(
      {
        contentType: 'application/json',
        payload: '{"petId": {$inputs.petId}, "name": "{$inputs.name}"}',
      },
      ctx,
    ),
  ).toEqual({ ok: true, contentType: 'application/json', value: { petId: 7, name: 'Rex' } })
})

test('keeps a plain string payload a string', () => {
  expect(buildPayload({ contentType: 'text/plain', payload: 'hello {$inputs.name}' }, ctx)).toEqual(
    { ok: true, contentType: 'text/plain', value: 'hello Rex' },
  )
})

test('writes each replacement at its JSON pointer, values resolved', () => {
  expect(
    buildPayload(
      {
        contentType: 'application/json',
        payload: { pet: { id: 0, tags: ['a'] } },
        replacements: [
          { target: '/pet/id', value: '$inputs.petId' },
          { target: '/pet/tags/-', value: 'b' },
        ],
      },
      ctx,
    ),
  ).toEqual({
    ok: true,
    contentType: 'application/json',
    value: { pet: { id: 7, tags: ['a', 'b'] } },
  })
})

test('says where a replacement target does not exist', () => {
  expect(
    buildPayload(
      { payload: { pet: {} }, replacements: [{ target: '/owner/name', value: 'x' }] },
      ctx,
    ),
  ).toEqual({ ok: false, message: 'replacement /owner/name: the payload has nothing at /owner' })
})

test('says it cannot apply a replacement to an XML payload', () => {
  const result = buildPayload(
    {
      contentType: 'application/xml',
      payload: '<pet/>',
      replacements: [{ target: '/pet/id', value: 1 }],
    },
    ctx,
  )
  expect(result).toMatchObject({ ok: false })
  expect(!result.ok && result.message).toMatch(/JSON payloads only/)
})
