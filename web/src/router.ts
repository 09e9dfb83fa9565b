import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './features/auth/session-store'

// Each shell is its own lazily loaded chunk: the public pages never download
// Element Plus, and the console never downloads Vant.
const routes: RouteRecordRaw[] = [
  {
    path: '/u/:code/poster',
    name: 'unit-poster',
    component: () => import('./features/organizations/public/UnitPoster.vue'),
  },
  {
    path: '/admin',
    component: () => import('./shells/admin/AdminRoot.vue'),
    children: [
      { path: 'login', name: 'admin-login', component: () => import('./features/auth/LoginPage.vue') },
      {
        path: '',
        component: () => import('./shells/admin/AdminShell.vue'),
        meta: { requiresLogin: true },
        children: [
          { path: '', redirect: { name: 'admin-units' } },
          { path: 'units', name: 'admin-units', component: () => import('./features/organizations/admin/UnitTreePage.vue') },
          { path: 'units/:code', name: 'admin-unit', component: () => import('./features/organizations/admin/UnitTreePage.vue') },
          { path: 'members', name: 'admin-members', component: () => import('./features/organizations/admin/MembersPage.vue') },
          { path: 'import', name: 'admin-import', component: () => import('./features/organizations/admin/ImportPage.vue') },
          { path: 'export', name: 'admin-export', component: () => import('./features/organizations/admin/ExportPage.vue') },
          { path: 'users', name: 'admin-users', component: () => import('./features/auth/UsersPage.vue') },
          { path: 'campaigns', name: 'admin-campaigns', component: () => import('./features/campaigns/admin/CampaignsPage.vue') },
          { path: 'campaigns/:id', name: 'admin-campaign', component: () => import('./features/campaigns/admin/CampaignPage.vue') },
          { path: 'campaigns/:id/units/:code', name: 'admin-campaign-unit', component: () => import('./features/campaigns/admin/WorkspacePage.vue') },
          { path: 'plans/:id', name: 'admin-plan', component: () => import('./features/campaigns/admin/PlanPage.vue') },
          { path: 'requests', name: 'admin-requests', component: () => import('./features/requests/admin/QueuePage.vue') },
          { path: 'requests/:id', name: 'admin-request', component: () => import('./features/requests/admin/ProblemAdminPage.vue') },
          { path: 'request-figures', name: 'admin-request-figures', component: () => import('./features/requests/admin/FiguresPage.vue') },
          { path: 'request-categories', name: 'admin-request-categories', component: () => import('./features/requests/admin/CategoriesPage.vue') },
          { path: 'commitments', name: 'admin-commitments', component: () => import('./features/commitments/admin/CommitmentsPage.vue') },
          { path: 'commitments/new', name: 'admin-commitment-new', component: () => import('./features/commitments/admin/CommitmentNewPage.vue') },
          { path: 'commitments/:id', name: 'admin-commitment', component: () => import('./features/commitments/admin/CommitmentPage.vue') },
          { path: 'bulletins', name: 'admin-bulletins', component: () => import('./features/commitments/admin/BulletinsPage.vue') },
          { path: 'bulletins/:id', name: 'admin-bulletin', component: () => import('./features/commitments/admin/BulletinPage.vue') },
          { path: 'evaluations', name: 'admin-evaluations', component: () => import('./features/evaluations/admin/RoundsPage.vue') },
          { path: 'evaluations/new', name: 'admin-evaluation-new', component: () => import('./features/evaluations/admin/RoundEditorPage.vue') },
          { path: 'evaluations/:id/edit', name: 'admin-evaluation-edit', component: () => import('./features/evaluations/admin/RoundEditorPage.vue') },
          { path: 'evaluations/:id', name: 'admin-evaluation', component: () => import('./features/evaluations/admin/RoundAdminPage.vue') },
          { path: 'evaluations/:id/units/:code', name: 'admin-evaluation-branch', component: () => import('./features/evaluations/branch/BranchGradesPage.vue') },
          { path: 'branch-evaluations', name: 'admin-branch-evaluations', component: () => import('./features/evaluations/branch/BranchRoundsPage.vue') },
          { path: 'my-evaluations', name: 'admin-my-evaluations', component: () => import('./features/evaluations/member/MyVotesPage.vue') },
          { path: 'audit', name: 'admin-audit', component: () => import('./features/audit/AuditBrowser.vue') },
          { path: 'profile', name: 'admin-profile', component: () => import('./features/auth/ProfilePage.vue') },
          { path: ':rest(.*)*', name: 'admin-not-found', component: () => import('./shells/admin/AdminNotFound.vue') },
        ],
      },
    ],
  },
  {
    path: '/',
    component: () => import('./shells/public/PublicShell.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./features/organizations/public/PublicHome.vue') },
      { path: 'u/:code', name: 'unit', component: () => import('./features/organizations/public/PublicUnit.vue') },
      { path: 'c/:id', name: 'campaign', component: () => import('./features/campaigns/public/PublicCampaign.vue') },
      { path: 'plans/:id', name: 'plan', component: () => import('./features/campaigns/public/PublicPlan.vue') },
      { path: 'report', name: 'request-report-pick', component: () => import('./features/requests/public/ReportPage.vue') },
      { path: 'u/:code/report', name: 'request-report', component: () => import('./features/requests/public/ReportPage.vue') },
      { path: 'u/:code/problems', name: 'unit-requests', component: () => import('./features/requests/public/UnitProblems.vue') },
      { path: 'r/:id', name: 'request', component: () => import('./features/requests/public/ProblemPage.vue') },
      { path: 'commitments/:id', name: 'commitment', component: () => import('./features/commitments/public/PublicCommitment.vue') },
      { path: 'bulletins/:id', name: 'bulletin', component: () => import('./features/commitments/public/PublicBulletin.vue') },
      { path: 'v/:code?', name: 'ballot', component: () => import('./features/evaluations/public/BallotPage.vue') },
      { path: 'e/:id', name: 'evaluation', component: () => import('./features/evaluations/public/RoundPage.vue') },
      // The member's own ballot: the session is the credential, so a login comes first.
      { path: 'e/:id/member', name: 'member-ballot', component: () => import('./features/evaluations/member/MemberBallotPage.vue'), meta: { requiresLogin: true } },
      { path: 'audit', name: 'audit', component: () => import('./features/audit/PublicAudit.vue') },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./shells/public/PublicNotFound.vue') },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (!to.matched.some((record) => record.meta.requiresLogin)) return true
  const session = useSessionStore()
  try {
    await session.ensureChecked()
  } catch {
    // The server could not say who is logged in; the login page reports why on submit.
  }
  if (session.loggedIn) return true
  return { name: 'admin-login', query: { redirect: to.fullPath } }
})
