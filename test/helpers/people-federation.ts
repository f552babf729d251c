/**
 * A one-instance federation whose `people` service (spec `people.yaml` beside it) is a test's own
 * HTTP server on `port`, callable by eesti.ee: for tests of what Sild does with a partner's answers.
 */
export const peopleFederation = (port: number): string => `version: sild.federation/v1
instances:
  - code: ee-test
    protocol: xroad-rest
    securityServer: { member: GOV/70006317, code: ss1 }
    members:
      - { class: GOV, code: '70006317', subsystems: [{ code: eesti-ee }] }
      - class: GOV
        code: '70008440'
        subsystems:
          - code: rr
            services:
              - { id: people, code: people, spec: people.yaml, provider: 'http://127.0.0.1:${port}' }
accessRights:
  - { client: ee-test/GOV/70006317/eesti-ee, service: ee-test/GOV/70008440/rr/people }
`
