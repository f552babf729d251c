// Sild's sandbox from a plain Node.js script: no TypeScript loader, no test runner. msw answers
// for both security servers and every register in-process, so nothing is started or listened on.
import { setupServer } from 'msw/node'
import { sandboxHandlers } from 'sild/msw'

const sild = sandboxHandlers()
const server = setupServer(...sild.handlers)
server.listen({ onUnhandledRequest: 'error' })

// Estonia's population register, called as the state portal through ee-test's security server.
const response = await fetch(
  'http://ee-test.ss.sild.test/r1/ee-test/GOV/70008440/rr/population/persons/48001013546',
  { headers: { 'X-Road-Client': 'ee-test/GOV/70006317/eesti-ee' } },
)
const person = await response.json()
console.log(`${response.status} ${person.givenName} ${person.familyName}`)

server.close()
await sild.close()
