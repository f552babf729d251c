import { eeBusinessRegister } from './ee-business-register/index.ts'
import { eeEResidency } from './ee-e-residency/index.ts'
import { eePopulationRegister } from './ee-population-register/index.ts'
import { eeTaxBoard } from './ee-tax-board/index.ts'
import { uaDemographicRegister } from './ua-demographic-register/index.ts'
import { uaDiia } from './ua-diia/index.ts'
import { uaLegalEntitiesRegister } from './ua-legal-entities-register/index.ts'
import { uaTaxService } from './ua-tax-service/index.ts'
import type { ServiceMock } from './types.ts'

/** Every world-backed service mock of the sandbox, keyed by the federation's service ids. */
export const serviceMocks: ReadonlyArray<ServiceMock<never>> = [
  eePopulationRegister,
  eeBusinessRegister,
  eeEResidency,
  eeTaxBoard,
  uaDemographicRegister,
  uaLegalEntitiesRegister,
  uaDiia,
  uaTaxService,
] as unknown as ReadonlyArray<ServiceMock<never>>
