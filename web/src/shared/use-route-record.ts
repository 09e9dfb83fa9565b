import { ref, watch, type Ref } from 'vue'
import { useRoute } from 'vue-router'
import { ApiError } from '../api/client'
import { errorText } from './errors'

/**
 * The record a public page shows, named by the route's `:id` and fetched
 * again when the id changes: a 404 sets `notFound`, any other failure
 * `error` (in the user's language).
 */
export function useRouteRecord<T>(fetch: (id: string) => Promise<T>) {
  const route = useRoute()
  const record = ref(null) as Ref<T | null>
  const notFound = ref(false)
  const error = ref('')
  async function load(id: string): Promise<void> {
    notFound.value = false
    error.value = ''
    try {
      record.value = await fetch(id)
    } catch (e) {
      record.value = null
      if (e instanceof ApiError && e.isNotFound) notFound.value = true
      else error.value = errorText(e)
    }
  }
  watch(() => String(route.params.id), load, { immediate: true })
  return { record, notFound, error }
}
