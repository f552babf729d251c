import type { Language } from '../../reports/i18n/languages.ts'

/**
 * What applies each check of the registry (its `appliedBy`), in the dashboard's other languages,
 * keyed by check name: a scorecard names it for a level a run did not test. English is the
 * registry's own text (runner/checks), so it is not repeated here.
 */
export const APPLIED_BY: Record<Exclude<Language, 'en'>, Record<string, string>> = {
  uk: {
    reachable:
      'кожен виклик, що доходить до постачальника (а не той, який сервер безпеки відхиляє раніше)',
    clientHeaderWellFormed: 'кожен виклик: заголовок клієнта, надісланий інформаційною системою',
    responseIdsEchoed: 'кожна відповідь постачальника',
    requestIdPresent: 'кожна відповідь постачальника клієнтові X-Road',
    requestHashPresent: 'кожна відповідь постачальника клієнтові X-Road',
    errorBodyFormat: 'кожна помилка сервера безпеки, наприклад крок від клієнта без права доступу',
    faultStatusClass: 'кожна помилка сервера безпеки, наприклад крок від клієнта без права доступу',
    statusCodeConformance: 'кожна відповідь постачальника',
    contentTypeConformance: 'кожна відповідь постачальника',
    responseSchemaConformance: 'кожна відповідь постачальника',
    responseHeadersConformance: 'кожна відповідь постачальника',
    identifierFormatConformance: 'кожна відповідь постачальника',
    successCriteria: 'крок із successCriteria',
    expectedOutcome:
      'крок із x-sild-expect або крок без successCriteria (він очікує статус нижче 400)',
    identifierEcho: 'крок, відповідь на який має містити запитаний ідентифікатор',
    crossStepConsistency:
      'робочий процес, у якому дві відповіді називають дату народження, стать чи дату реєстрації того самого ідентифікатора',
    badIdentifierRejected: 'крок, що надсилає ідентифікатор із хибною контрольною цифрою',
    unauthorizedRefused:
      'крок від клієнта без права доступу або крок, що очікує помилку AccessDenied',
    noInternalsLeaked: 'кожна відповідь постачальника і кожна помилка сервера безпеки',
  },
  et: {
    reachable:
      'iga päring, mis jõuab teenuse osutajani (mitte see, mille turvaserver enne tagasi lükkab)',
    clientHeaderWellFormed: 'iga päring: kliendipäis, mille päriv infosüsteem saatis',
    responseIdsEchoed: 'teenuse osutaja iga vastus',
    requestIdPresent: 'teenuse osutaja iga vastus X-Roadi kliendile',
    requestHashPresent: 'teenuse osutaja iga vastus X-Roadi kliendile',
    errorBodyFormat: 'turvaserveri iga viga, näiteks samm juurdepääsuõiguseta kliendilt',
    faultStatusClass: 'turvaserveri iga viga, näiteks samm juurdepääsuõiguseta kliendilt',
    statusCodeConformance: 'teenuse osutaja iga vastus',
    contentTypeConformance: 'teenuse osutaja iga vastus',
    responseSchemaConformance: 'teenuse osutaja iga vastus',
    responseHeadersConformance: 'teenuse osutaja iga vastus',
    identifierFormatConformance: 'teenuse osutaja iga vastus',
    successCriteria: 'successCriteria-ga samm',
    expectedOutcome:
      'x-sild-expect-iga samm või samm ilma successCriteria-ta (see ootab olekut alla 400)',
    identifierEcho: 'samm, mille vastus peab sisaldama küsitud tunnust',
    crossStepConsistency:
      'töövoog, milles kaks vastust nimetavad sama tunnuse sünniaja, soo või registreerimise kuupäeva',
    badIdentifierRejected: 'samm, mis saadab vale kontrollnumbriga tunnuse',
    unauthorizedRefused: 'samm juurdepääsuõiguseta kliendilt või samm, mis ootab viga AccessDenied',
    noInternalsLeaked: 'teenuse osutaja iga vastus ja turvaserveri iga viga',
  },
}
