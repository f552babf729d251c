import { expect, test } from 'vitest'
import { loadFederation } from '../../specs/federation/index.ts'
import { loadSpec, type SpecModel } from '../../specs/openapi/index.ts'
import { findScenarioFiles, loadScenarios } from '../../runner/scenario/index.ts'
import { serviceForm } from '../composer/index.ts'
import { federationView } from '../federation-view/index.ts'
import { LANGUAGES } from '../i18n/catalogue.ts'
import { summarizeScenario } from '../runs/index.ts'
import type { ItemTranslations } from './index.ts'

// Everything of the bundled data a visitor reads on the dashboard, in every language of the page:
// a text added in English alone fails here, naming the item and the field.

const OTHER_LANGUAGES = LANGUAGES.filter((lang) => lang !== 'en')

type Item = Record<string, unknown> & { i18n?: ItemTranslations }

/** `where: field (lang)` for each text of `item` that has no translation. */
const missing = (where: string, item: Item, fields: string[]): string[] =>
  fields.flatMap((field) =>
    typeof item[field] !== 'string'
      ? []
      : OTHER_LANGUAGES.filter((lang) => !item.i18n?.[lang]?.[field]?.trim()).map(
          (lang) => `${where}: ${field} (${lang})`,
        ),
  )

const federation = loadFederation()
const specs = new Map<string, SpecModel>()
for (const service of federation.services) {
  if (service.provider === 'metaservice') continue
  specs.set(service.id, await loadSpec(service.specFile))
}

test('names every instance, member, subsystem and service of the bundled federation in every language', () => {
  const view = federationView(federation, specs)
  const gaps = view.instances.flatMap((instance) => [
    ...missing(instance.code, instance, ['name']),
    ...instance.members.flatMap((member) => [
      ...missing(member.key, member, ['name']),
      ...member.subsystems.flatMap((subsystem) => [
        ...missing(subsystem.key, subsystem, ['name']),
        ...subsystem.services.flatMap((service) => missing(service.key, service, ['title'])),
      ]),
    ]),
  ])
  expect(gaps).toEqual([])
})

test('translates every operation summary and field help of the bundled specs', () => {
  const gaps = federation.services
    .filter((service) => specs.has(service.id))
    .flatMap((service) => {
      const form = serviceForm(federation, service, specs.get(service.id) as SpecModel)
      return [
        ...missing(service.id, form, ['title']),
        ...form.operations.flatMap((op) => [
          ...missing(`${service.id} ${op.operationId}`, op, ['summary']),
          ...op.fields.flatMap((field) =>
            missing(`${service.id} ${op.operationId} ${field.name}`, field, ['description']),
          ),
        ]),
      ]
    })
  expect(gaps).toEqual([])
})

test('translates the title, story, workflows and step descriptions of every bundled scenario', async () => {
  const scenarios = await loadScenarios(findScenarioFiles(), { federation })
  expect(scenarios.length).toBeGreaterThan(0)
  const gaps = scenarios.flatMap((scenario) => {
    const summary = summarizeScenario(scenario)
    return [
      ...missing(summary.id, summary, ['title', 'description']),
      ...summary.workflows.flatMap((w) =>
        missing(`${summary.id} ${w.workflowId}`, w, ['summary', 'description']),
      ),
      ...Object.entries(summary.stepTexts).flatMap(([step, text]) =>
        missing(`${summary.id} ${step}`, text, ['description']),
      ),
    ]
  })
  expect(gaps).toEqual([])
})

test('reports an untranslated text by item, field and language', () => {
  expect(
    missing('ee-test', { name: 'Estonia', i18n: { uk: { name: 'Естонія' } } }, ['name']),
  ).toEqual(['ee-test: name (et)'])
})
